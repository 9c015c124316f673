/** Five minutes either way: what Standard Webhooks' reference libraries and most vendors use. */
export const defaultFreshnessMs = 5 * 60 * 1000;

/**
 * Reads a signed timestamp as Unix seconds (`1674087231`) or an ISO 8601 instant with a zone
 * (`2026-01-31T18:42:00+0000`, `2026-01-31T18:42:00Z`). Undefined when it is neither.
 */
export function parseSignedTimestamp(text: string): Date | undefined {
  const value = text.trim();
  if (/^\d{1,12}$/.test(value)) return new Date(Number(value) * 1000);
  // ISO 8601 with an explicit zone; `+0000` (no colon) is normalised because Date wants `+00:00`.
  const iso =
    /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})$/i.exec(value);
  if (!iso) return undefined;
  const zone = iso[2]!.toUpperCase() === 'Z' ? 'Z' : `${iso[2]!.slice(0, 3)}:${iso[2]!.slice(-2)}`;
  const date = new Date(`${iso[1]}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Whether a signed instant lies within `windowMs` of now, in the past or the future. */
export function isFresh(signedAt: Date, windowMs: number, now: number = Date.now()): boolean {
  return Math.abs(now - signedAt.getTime()) <= windowMs;
}
