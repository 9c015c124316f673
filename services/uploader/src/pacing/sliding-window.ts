/**
 * Admits at most `limit` calls in any window of `windowMs`, the shape of Entra's limit (40 calls
 * in any 5 seconds). A true sliding log rather than fixed buckets: fixed buckets allow twice the
 * limit across a bucket boundary, which is exactly what earns a 429.
 */
export class SlidingWindow {
  #limit: number;
  readonly #windowMs: number;
  /** Admission times, oldest first; never longer than the limit. */
  readonly #admitted: number[] = [];

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  get limit(): number {
    return this.#limit;
  }

  /** A replica's share of the tenant's limit changes when partitions move. */
  setLimit(limit: number): void {
    this.#limit = Math.max(1, limit);
  }

  /** Milliseconds until a call may go; 0 when it may go now. */
  delay(now: number): number {
    this.#expire(now);
    if (this.#admitted.length < this.#limit) return 0;
    const oldestThatMustLeave = this.#admitted[this.#admitted.length - this.#limit]!;
    return Math.max(0, oldestThatMustLeave + this.#windowMs - now);
  }

  /** Calls admitted in the window ending now. */
  count(now: number): number {
    this.#expire(now);
    const horizon = now - this.#windowMs;
    return this.#admitted.filter((at) => at > horizon).length;
  }

  admit(now: number): void {
    this.#admitted.push(now);
    this.#expire(now);
  }

  /** Takes back an admission that was not used for a call after all. */
  release(at: number): void {
    const index = this.#admitted.lastIndexOf(at);
    if (index >= 0) this.#admitted.splice(index, 1);
  }

  #expire(now: number): void {
    const horizon = now - this.#windowMs;
    let drop = 0;
    while (drop < this.#admitted.length && this.#admitted[drop]! <= horizon) drop++;
    // Keep only what can still matter for the largest limit this window may be given.
    drop = Math.max(drop, this.#admitted.length - Math.max(this.#limit, 1000));
    if (drop > 0) this.#admitted.splice(0, drop);
  }
}
