/** Small, forgiving readers for vendor values: absent, empty and sentinel values become undefined. */

export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, 1024);
}

/** A calendar day `YYYY-MM-DD`; BambooHR's `0000-00-00` and other non-dates become undefined. */
export function day(value: unknown): string | undefined {
  const candidate = text(value)?.slice(0, 10);
  if (candidate === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(candidate)) return undefined;
  const date = new Date(`${candidate}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== candidate)
    return undefined;
  return candidate;
}

/** An RFC 3339 instant in UTC, or undefined. */
export function instant(value: unknown): string | undefined {
  const candidate = text(value);
  if (candidate === undefined) return undefined;
  const normalised = candidate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = Date.parse(normalised);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const emailPattern = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{1,63}$/;

/** A plausible email address, or undefined: the canonical schema refuses malformed ones. */
export function email(value: unknown): string | undefined {
  const candidate = text(value);
  return candidate !== undefined && emailPattern.test(candidate) ? candidate : undefined;
}

/** A phone number the canonical schema accepts, or undefined. */
export function phone(value: unknown): string | undefined {
  const candidate = text(value);
  return candidate !== undefined && /^\+?[0-9 ()./x-]{3,40}$/.test(candidate)
    ? candidate
    : undefined;
}

/** An ISO 3166-1 alpha-2 code, or undefined. */
export function countryCode(value: unknown): string | undefined {
  const candidate = text(value)?.toUpperCase();
  return candidate !== undefined && /^[A-Z]{2}$/.test(candidate) ? candidate : undefined;
}

const dayMs = 24 * 60 * 60 * 1000;
let todayCache = { from: 0, to: 0, text: '' };

/** Today in UTC, `YYYY-MM-DD`; formatted once a day, as normalizers ask for it per delivery. */
export function today(now: number = Date.now()): string {
  if (now < todayCache.from || now >= todayCache.to) {
    const from = now - (now % dayMs);
    todayCache = { from, to: from + dayMs, text: new Date(now).toISOString().slice(0, 10) };
  }
  return todayCache.text;
}

/** Drops keys whose value is undefined, so optional canonical fields stay absent. */
export function compact<T extends object>(value: T): T {
  // A loop rather than entries/filter/fromEntries: this runs several times per delivery.
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) kept[key] = item;
  }
  return kept as T;
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
