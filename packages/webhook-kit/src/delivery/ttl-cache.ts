interface Entry<V> {
  value: V;
  expiresAt: number;
  /** The write that placed this entry; its slot in the eviction ring is `written % capacity`. */
  written: number;
}

/**
 * A bounded map whose entries expire: least recently written entries go first when it is full.
 * In memory and per process, so whatever relies on it must tolerate misses.
 *
 * Eviction order is kept in a ring of keys beside the map rather than taken from the map's own
 * insertion order. Evicting through `map.keys().next()` looks cheap, but V8 leaves every deleted
 * entry as a hole at the front of the table until its next rehash, and the iterator walks over
 * all of them: with 100,000 entries a full cache spent 20-70 µs on each write instead of about 1.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #ring: (string | undefined)[];
  readonly #ttlMs: number;
  #writes = 0;

  constructor(options: { maxEntries: number; ttlMs: number }) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
    this.#ring = new Array<string | undefined>(options.maxEntries);
    this.#ttlMs = options.ttlMs;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, now: number = Date.now()): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, now: number = Date.now()): void {
    const capacity = this.#ring.length;
    const written = this.#writes++;
    const slot = written % capacity;
    // The slot's previous key was written `capacity` writes ago. It goes unless it was written
    // again since (its entry then points at a newer slot) or was deleted.
    const previous = this.#ring[slot];
    if (previous !== undefined && this.#entries.get(previous)?.written === written - capacity) {
      this.#entries.delete(previous);
    }
    this.#ring[slot] = key;
    this.#entries.set(key, { value, expiresAt: now + this.#ttlMs, written });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
