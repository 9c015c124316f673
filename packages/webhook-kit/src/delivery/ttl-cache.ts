/**
 * A bounded map whose entries expire: least recently written entries go first when it is full.
 * In memory and per process, so whatever relies on it must tolerate misses.
 *
 * Built for a steady stream of writes into a full cache (one per webhook delivery):
 * - Eviction order is a ring of keys beside the map rather than the map's own insertion order.
 *   Evicting through `map.keys().next()` looks cheap, but V8 leaves every deleted entry as a
 *   hole at the front of the table until its next rehash, and the iterator walks over all of
 *   them: with 100,000 entries a full cache spent 20-70 µs on each write instead of about 1.
 * - The map holds only each key's ring slot, a small integer; values and expiry times live in
 *   arrays indexed by that slot. A write allocates nothing but the map's own slot: no entry
 *   object and no boxed expiry time per key for the garbage collector to promote and later sweep.
 */
export class TtlCache<V> {
  /** Key to its ring slot; `#keys[slot]` is always the key that owns the slot, or undefined. */
  readonly #slots = new Map<string, number>();
  readonly #keys: (string | undefined)[];
  readonly #values: (V | undefined)[];
  readonly #expiresAt: Float64Array;
  readonly #ttlMs: number;
  /** The next slot to write: the oldest, once the ring has gone round. */
  #next = 0;

  constructor(options: { maxEntries: number; ttlMs: number }) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
    this.#keys = new Array<string | undefined>(options.maxEntries).fill(undefined);
    this.#values = new Array<V | undefined>(options.maxEntries).fill(undefined);
    this.#expiresAt = new Float64Array(options.maxEntries);
    this.#ttlMs = options.ttlMs;
  }

  get size(): number {
    return this.#slots.size;
  }

  get(key: string, now: number = Date.now()): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (this.#expiresAt[slot]! <= now) {
      this.#remove(key, slot);
      return undefined;
    }
    return this.#values[slot];
  }

  set(key: string, value: V, now: number = Date.now()): void {
    // A key written again moves to the newest slot; its old one is left empty.
    const earlier = this.#slots.get(key);
    if (earlier !== undefined) this.#clear(earlier);

    const slot = this.#next;
    this.#next = (slot + 1) % this.#keys.length;
    // The key written a whole ring ago goes, unless it was removed or written again since.
    const previous = this.#keys[slot];
    if (previous !== undefined) this.#slots.delete(previous);
    this.#keys[slot] = key;
    this.#values[slot] = value;
    this.#expiresAt[slot] = now + this.#ttlMs;
    this.#slots.set(key, slot);
  }

  delete(key: string): void {
    const slot = this.#slots.get(key);
    if (slot !== undefined) this.#remove(key, slot);
  }

  #remove(key: string, slot: number): void {
    this.#slots.delete(key);
    this.#clear(slot);
  }

  /** Empties a slot; the map no longer points at it, or is about to point elsewhere. */
  #clear(slot: number): void {
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
  }
}
