/**
 * Timestamps of accepted calls within a trailing window, oldest first. A call is allowed while
 * fewer than `limit` calls fall inside the window; the wait is until the oldest one leaves it.
 */
export class SlidingLog {
  #times: number[] = [];
  #head = 0;

  /** Milliseconds until a call would be allowed; 0 means now. */
  waitMs(nowMs: number, windowMs: number, limit: number): number {
    this.#expire(nowMs - windowMs);
    if (this.#times.length - this.#head < limit) return 0;
    const oldest = this.#times[this.#times.length - limit]!;
    return Math.max(1, oldest + windowMs - nowMs);
  }

  record(nowMs: number): void {
    this.#times.push(nowMs);
  }

  get count(): number {
    return this.#times.length - this.#head;
  }

  #expire(cutoffMs: number): void {
    while (this.#head < this.#times.length && this.#times[this.#head]! <= cutoffMs) this.#head += 1;
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }
}
