const hourMs = 60 * 60 * 1000;

/**
 * Counts calls against a tenant's rolling 24-hour quota in hourly buckets: precise enough to pace
 * by (a bucket errs by at most an hour's calls on the safe side) and small enough to persist.
 */
export class DailyQuota {
  readonly #quota: number;
  /** Start of the hour (epoch ms) to calls made in it. */
  readonly #buckets = new Map<number, number>();

  constructor(quota: number) {
    this.#quota = quota;
  }

  get quota(): number {
    return this.#quota;
  }

  used(now: number): number {
    this.#expire(now);
    let total = 0;
    for (const calls of this.#buckets.values()) total += calls;
    return total;
  }

  remaining(now: number): number {
    return Math.max(0, this.#quota - this.used(now));
  }

  /** Milliseconds until a call fits the quota again; 0 when one fits now. */
  delay(now: number): number {
    if (this.remaining(now) > 0) return 0;
    const oldest = Math.min(...this.#buckets.keys());
    return oldest + 24 * hourMs - now;
  }

  record(now: number, calls = 1): void {
    const hour = now - (now % hourMs);
    this.#buckets.set(hour, (this.#buckets.get(hour) ?? 0) + calls);
  }

  /** Takes back a call recorded at `at` that was not made after all. */
  release(at: number): void {
    const hour = at - (at % hourMs);
    const calls = this.#buckets.get(hour) ?? 0;
    if (calls > 1) this.#buckets.set(hour, calls - 1);
    else this.#buckets.delete(hour);
  }

  /** Hourly counts, for the state topic. */
  snapshot(now: number): Record<string, number> {
    this.#expire(now);
    return Object.fromEntries([...this.#buckets].map(([hour, calls]) => [String(hour), calls]));
  }

  restore(snapshot: Record<string, number>, now: number): void {
    for (const [hour, calls] of Object.entries(snapshot)) {
      const start = Number(hour);
      this.#buckets.set(start, Math.max(this.#buckets.get(start) ?? 0, calls));
    }
    this.#expire(now);
  }

  #expire(now: number): void {
    for (const hour of this.#buckets.keys()) {
      if (hour + 24 * hourMs <= now) this.#buckets.delete(hour);
    }
  }
}

/** Calls in `hours` (start of the hour to calls) still inside the rolling day ending `now`. */
export function callsWithinDay(hours: Readonly<Record<string, number>>, now: number): number {
  let total = 0;
  for (const [hour, calls] of Object.entries(hours)) {
    if (Number(hour) + 24 * hourMs > now) total += calls;
  }
  return total;
}

/** When the oldest hour of `hours` with calls leaves the rolling day; Infinity when none does. */
export function oldestHourEnds(hours: Readonly<Record<string, number>>, now: number): number {
  let ends = Infinity;
  for (const [hour, calls] of Object.entries(hours)) {
    const end = Number(hour) + 24 * hourMs;
    if (calls > 0 && end > now) ends = Math.min(ends, end);
  }
  return ends;
}
