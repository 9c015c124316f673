import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A token bucket: up to `perSecond` requests at once, then one every `1000 / perSecond` ms.
 * Vendors rate-limit per API key; staying under their limit is cheaper than collecting 429s.
 */
export class RateLimiter {
  readonly #perSecond: number;
  #tokens: number;
  #updatedAt = Date.now();
  #queue: Promise<void> = Promise.resolve();

  constructor(perSecond: number) {
    this.#perSecond = perSecond;
    this.#tokens = Math.max(1, perSecond);
  }

  /** Resolves when the caller may send; callers are served in arrival order. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#take(signal));
    // A cancelled waiter must not block the ones behind it.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = Date.now();
    const capacity = Math.max(1, this.#perSecond);
    this.#tokens = Math.min(
      capacity,
      this.#tokens + ((now - this.#updatedAt) * this.#perSecond) / 1000,
    );
    this.#updatedAt = now;
    if (this.#tokens < 1) {
      const waitMs = Math.ceil(((1 - this.#tokens) * 1000) / this.#perSecond);
      await sleep(waitMs, undefined, { signal });
      this.#tokens = 1;
      this.#updatedAt = Date.now();
    }
    this.#tokens -= 1;
  }
}
