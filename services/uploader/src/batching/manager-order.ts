export interface Ordered<T> {
  ordered: T[];
  /** Each reporting cycle found, as the externalIds on it. */
  cycles: string[][];
}

/**
 * Orders items so that a manager comes before its reports whenever both are present, keeping the
 * arrival order otherwise. Entra resolves a manager reference only against records the job has
 * processed, so taking a prefix of this order never sends a report ahead of its pending manager.
 *
 * A worker has at most one manager, so the reporting lines form chains and the walk from any item
 * up to the first placed (or absent) manager is linear. A cycle (A manages B manages A: bad HR
 * data, or a swap caught halfway) is reported and its members are placed in arrival order; they
 * are still uploaded.
 */
export function orderManagersFirst<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  managerOf: (item: T) => string | undefined,
): Ordered<T> {
  const byId = new Map<string, T>();
  for (const item of items) byId.set(idOf(item), item);

  const placed = new Set<string>();
  const ordered: T[] = [];
  const cycles: string[][] = [];

  for (const item of items) {
    const id = idOf(item);
    if (placed.has(id)) continue;

    // Climb to the highest manager that is present and not yet placed.
    const chain: string[] = [id];
    const onChain = new Set(chain);
    let cycleAt: number | undefined;
    for (let current = item; ;) {
      const managerId = managerOf(current);
      if (managerId === undefined || placed.has(managerId)) break;
      const manager = byId.get(managerId);
      if (manager === undefined) break;
      if (onChain.has(managerId)) {
        cycleAt = chain.indexOf(managerId);
        break;
      }
      chain.push(managerId);
      onChain.add(managerId);
      current = manager;
    }

    if (cycleAt !== undefined) cycles.push(chain.slice(cycleAt));

    // Place from the top of the chain down, so each manager precedes its reports.
    for (let index = chain.length - 1; index >= 0; index--) {
      const memberId = chain[index]!;
      placed.add(memberId);
      ordered.push(byId.get(memberId)!);
    }
  }

  return { ordered, cycles };
}
