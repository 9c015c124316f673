import { describe, expect, it } from '@jest/globals';
import { DeliveryDeduplicator } from '../../src/delivery/delivery-deduplicator.ts';
import { TtlCache } from '../../src/delivery/ttl-cache.ts';

describe('TtlCache', () => {
  it('expires entries and evicts the oldest when full', () => {
    const cache = new TtlCache<number>({ maxEntries: 2, ttlMs: 1_000 });
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.set('c', 3, 0);
    expect(cache.get('a', 10)).toBeUndefined();
    expect(cache.get('b', 10)).toBe(2);
    expect(cache.get('c', 1_000)).toBeUndefined();
  });
});

describe('DeliveryDeduplicator', () => {
  it('runs a key once, joins concurrent copies, and retries a key whose run failed', async () => {
    const dedupe = new DeliveryDeduplicator<boolean>();
    let runs = 0;
    let release!: (ok: boolean) => void;
    const work = () => {
      runs++;
      return new Promise<boolean>((resolve) => {
        release = resolve;
      });
    };
    const first = dedupe.run('k', work, (ok) => ok);
    const second = dedupe.run('k', work, (ok) => ok);
    release(false);
    expect(await first).toEqual({ kind: 'ran', result: false });
    expect(await second).toEqual({ kind: 'joined', result: false });

    const retried = dedupe.run('k', work, (ok) => ok);
    release(true);
    expect(await retried).toEqual({ kind: 'ran', result: true });
    expect(await dedupe.run('k', work, (ok) => ok)).toEqual({ kind: 'duplicate' });
    expect(runs).toBe(2);
  });
});
