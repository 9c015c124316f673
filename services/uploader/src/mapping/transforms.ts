import type { CaseTransform, DateFormat } from './types.ts';

export function applyCase(value: string, mode: CaseTransform): string {
  if (mode === 'lower') return value.toLowerCase();
  if (mode === 'upper') return value.toUpperCase();
  // Title case: every word starts upper case and continues lower case (`Employee`, `Mary-Jo`).
  return value.toLowerCase().replace(/(^|[\s\-'])(\p{Ll})/gu, (_, gap: string, letter: string) => {
    return gap + letter.toUpperCase();
  });
}

const calendarDay = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Converts a canonical date (`YYYY-MM-DD`) or instant (RFC 3339) to the requested form; undefined
 * when the input is neither. A calendar day never shifts: it has no zone to convert from, so
 * `datetime` gives midnight UTC of that day. An instant is taken in UTC.
 */
export function formatDate(value: string, format: DateFormat): string | undefined {
  const day = calendarDay.exec(value);
  if (day) {
    const [, year, month, date] = day;
    if (format === 'date') return value;
    if (format === 'yyyyMMdd') return `${year}${month}${date}`;
    return `${value}T00:00:00Z`;
  }

  const millis = Date.parse(value);
  if (Number.isNaN(millis) || !value.includes('T')) return undefined;
  const iso = new Date(millis).toISOString();
  if (format === 'date') return iso.slice(0, 10);
  if (format === 'yyyyMMdd') return iso.slice(0, 10).replaceAll('-', '');
  return iso.replace('.000Z', 'Z');
}
