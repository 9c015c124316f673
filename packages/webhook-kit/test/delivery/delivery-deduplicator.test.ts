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

  it('counts a key written again as new, so its first write does not evict it', () => {
    const cache = new TtlCache<number>({ maxEntries: 3, ttlMs: 1_000 });
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.set('a', 3, 0);
    cache.set('c', 4, 0);
    // The ring's oldest slot still names `a`, but `a` was written again since: `b` goes first.
    cache.set('d', 5, 0);
    expect(cache.get('a', 10)).toBe(3);
    expect(cache.get('b', 10)).toBeUndefined();
    cache.set('e', 6, 0);
    expect(cache.get('a', 10)).toBeUndefined();
    expect([cache.get('c', 10), cache.get('d', 10), cache.get('e', 10)]).toEqual([4, 5, 6]);
  });

  it('holds at most maxEntries, the newest, through any mix of writes and deletes', () => {
    const cache = new TtlCache<number>({ maxEntries: 100, ttlMs: 1_000 });
    const written: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const key = `k${(i * 7919) % 450}`;
      if (i % 13 === 0) cache.delete(key);
      else cache.set(key, i, 0);
      written.push(key);
      expect(cache.size).toBeLessThanOrEqual(100);
    }
    // Every key whose last write is among the last 100 writes is still there.
    const lastWrites = new Map<string, number>();
    written.forEach((key, i) => {
      if (i % 13 !== 0) lastWrites.set(key, i);
      else lastWrites.delete(key);
    });
    const writes = [...written.keys()].filter((i) => i % 13 !== 0);
    const recent = new Set(writes.slice(-100));
    for (const [key, i] of lastWrites) {
      if (recent.has(i)) expect(cache.get(key, 10)).toBe(i);
    }
  });

  it('refuses a capacity that cannot hold an entry', () => {
    expect(() => new TtlCache({ maxEntries: 0, ttlMs: 1 })).toThrow(RangeError);
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
