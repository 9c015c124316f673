import { TributaryError } from '@tributary/errors';
import { TtlCache } from '../delivery/ttl-cache.ts';

/** How the vendor names a manager: its internal id, an email, or both. */
export interface ManagerReference {
  sourceWorkerId?: string;
  email?: string;
}

export type ManagerLookup = (
  reference: ManagerReference,
  signal: AbortSignal,
) => Promise<{ employeeId: string; sourceWorkerId?: string } | undefined>;

/**
 * Resolves a manager reference to the manager's employee number, which is what Entra matches
 * `manager.value` against. Answers are cached: a team's reports share one manager, and a burst of
 * their updates should cost the vendor API one read.
 */
export class ManagerResolver {
  readonly #lookup: ManagerLookup;
  readonly #cache: TtlCache<{ employeeId: string; sourceWorkerId?: string }>;

  constructor(lookup: ManagerLookup, options: { maxEntries?: number; ttlMs?: number } = {}) {
    this.#lookup = lookup;
    this.#cache = new TtlCache({
      maxEntries: options.maxEntries ?? 10_000,
      ttlMs: options.ttlMs ?? 10 * 60 * 1000,
    });
  }

  async resolve(
    reference: ManagerReference,
    signal: AbortSignal,
  ): Promise<{ employeeId: string; sourceWorkerId?: string }> {
    const key = reference.sourceWorkerId
      ? `id:${reference.sourceWorkerId}`
      : `email:${reference.email?.toLowerCase()}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const found = await this.#lookup(reference, signal);
    if (!found) {
      throw new TributaryError('HYDRATION_REFUSED', 'the manager is unknown to the vendor API');
    }
    this.#cache.set(key, found);
    return found;
  }

  /** Remembers a worker seen in a fat payload, sparing a lookup when it turns up as a manager. */
  remember(sourceWorkerId: string, employeeId: string): void {
    this.#cache.set(`id:${sourceWorkerId}`, { employeeId, sourceWorkerId });
  }
}
