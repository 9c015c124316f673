import { describe, expect, test } from '@jest/globals';
import { orderManagersFirst } from '../../src/batching/manager-order.ts';

type Item = { id: string; manager?: string };

function order(items: Item[]) {
  const result = orderManagersFirst(
    items,
    (item) => item.id,
    (item) => item.manager,
  );
  return { ids: result.ordered.map((item) => item.id), cycles: result.cycles };
}

describe('orderManagersFirst', () => {
  test('moves managers ahead of their reports, however deep the chain', () => {
    const { ids, cycles } = order([
      { id: 'kathy', manager: 'barbara' },
      { id: 'ann', manager: 'kathy' },
      { id: 'barbara', manager: 'ceo' },
      { id: 'ceo' },
    ]);

    expect(ids).toEqual(['ceo', 'barbara', 'kathy', 'ann']);
    expect(cycles).toEqual([]);
  });

  test('keeps arrival order among unrelated workers and for managers not present', () => {
    const { ids } = order([
      { id: 'c', manager: 'absent' },
      { id: 'a' },
      { id: 'b', manager: 'a' },
      { id: 'd', manager: 'absent' },
    ]);

    expect(ids).toEqual(['c', 'a', 'b', 'd']);
  });

  test('every item appears exactly once, each manager before its reports', () => {
    const items: Item[] = [];
    for (let n = 999; n >= 0; n--) {
      items.push({
        id: String(n),
        ...(n === 0 ? {} : { manager: String(Math.floor((n - 1) / 5)) }),
      });
    }

    const { ids } = order(items);

    expect(new Set(ids).size).toBe(1000);
    const position = new Map(ids.map((id, index) => [id, index]));
    for (const item of items) {
      if (item.manager) expect(position.get(item.manager)!).toBeLessThan(position.get(item.id)!);
    }
  });

  test('detects a cycle, reports it and still places every member', () => {
    // The chain from the provisioning-log sample: 10015 -> 10016 -> 10017 -> 10015.
    const { ids, cycles } = order([
      { id: '10015', manager: '10016' },
      { id: '10016', manager: '10017' },
      { id: '10017', manager: '10015' },
      { id: '10018', manager: '10015' },
    ]);

    expect(cycles).toEqual([['10015', '10016', '10017']]);
    expect(ids.slice(0, 3).sort()).toEqual(['10015', '10016', '10017']);
    expect(ids[3]).toBe('10018');
  });

  test('a self-managed worker is a cycle of one', () => {
    expect(order([{ id: 'x', manager: 'x' }])).toEqual({ ids: ['x'], cycles: [['x']] });
  });
});
