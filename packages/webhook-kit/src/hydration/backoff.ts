export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** Full jitter: a random wait up to the exponential bound, so retrying clients spread out. */
export function backoffMs(attempt: number, options: BackoffOptions, random = Math.random): number {
  const bound = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * bound);
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now; undefined if unreadable. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now = Date.now(),
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
