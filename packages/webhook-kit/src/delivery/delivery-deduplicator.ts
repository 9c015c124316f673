import { TtlCache } from './ttl-cache.ts';

export interface DeduplicatorOptions {
  /** Default 100,000 delivery ids (about 20 MB at most). */
  maxEntries?: number;
  /** Default 24 hours: longer than BambooHR's retry schedule, shorter than HiBob's. */
  ttlMs?: number;
}

/**
 * Best-effort de-duplication of deliveries by idempotency key, per process: a redelivery of an
 * already published delivery is answered without a second record, and concurrent copies of one
 * delivery share a single outcome. A restart, another replica or an evicted entry lets a duplicate
 * through; consumers de-duplicate on the event's idempotency key, which is the guarantee.
 */
export class DeliveryDeduplicator<R> {
  readonly #done: TtlCache<true>;
  readonly #inFlight = new Map<string, Promise<R>>();

  constructor(options: DeduplicatorOptions = {}) {
    this.#done = new TtlCache({
      maxEntries: options.maxEntries ?? 100_000,
      ttlMs: options.ttlMs ?? 24 * 60 * 60 * 1000,
    });
  }

  /**
   * Runs `work` unless the key was done already (`duplicate`) or is running (`joined`, with that
   * run's result). The key counts as done only when `work` resolves and `isDone` agrees.
   */
  async run(
    key: string,
    work: () => Promise<R>,
    isDone: (result: R) => boolean,
  ): Promise<{ kind: 'ran' | 'joined'; result: R } | { kind: 'duplicate' }> {
    if (this.#done.get(key)) return { kind: 'duplicate' };
    const running = this.#inFlight.get(key);
    if (running) return { kind: 'joined', result: await running };

    const promise = work();
    this.#inFlight.set(key, promise);
    try {
      const result = await promise;
      if (isDone(result)) this.#done.set(key, true);
      return { kind: 'ran', result };
    } finally {
      this.#inFlight.delete(key);
    }
  }
}
