import { describe, expect, test } from '@jest/globals';
import { backoffDelay, parseRetryAfter } from '../../src/pacing/backoff.ts';
import { DailyQuota } from '../../src/pacing/daily-quota.ts';
import { SlidingWindow } from '../../src/pacing/sliding-window.ts';
import { TenantPacer } from '../../src/pacing/tenant-pacer.ts';
import { ManualClock } from '../support/manual-clock.ts';

const entra = { callsPerWindow: 40, windowMs: 5_000, dailyQuota: 2_000, lowBudgetFraction: 0.1 };

/** Acquires `count` slots one after another and records when each was granted. */
async function grantTimes(pacer: TenantPacer, clock: ManualClock, count: number, stepMs = 100) {
  const granted: number[] = [];
  let done = false;
  void (async () => {
    for (let i = 0; i < count; i++) {
      await pacer.acquire();
      granted.push(clock.now());
    }
    done = true;
  })();
  while (!done) await clock.advance(stepMs);
  return granted;
}

describe('SlidingWindow', () => {
  test('never admits more than the limit in any window, even across a boundary', () => {
    const window = new SlidingWindow(40, 5_000);
    const admitted: number[] = [];
    for (let now = 0; now < 60_000; now += 10) {
      if (window.delay(now) === 0) {
        window.admit(now);
        admitted.push(now);
      }
    }

    for (const start of admitted) {
      expect(admitted.filter((t) => t >= start && t < start + 5_000).length).toBeLessThanOrEqual(
        40,
      );
    }
    expect(admitted.length).toBeGreaterThanOrEqual(40 * 11);
  });
});

describe('DailyQuota', () => {
  test('counts calls over a rolling day and says when the next fits', () => {
    const quota = new DailyQuota(3);
    const start = Date.parse('2026-12-01T09:30:00Z');
    quota.record(start);
    quota.record(start + 1_000, 2);

    expect(quota.remaining(start + 2_000)).toBe(0);
    // The 09:00 bucket leaves the window 24 hours after the hour began.
    expect(quota.delay(start + 2_000)).toBe(Date.parse('2026-12-02T09:00:00Z') - (start + 2_000));
    expect(quota.remaining(Date.parse('2026-12-02T09:00:00Z'))).toBe(3);
  });

  test('restores persisted hours, keeping the larger count of one hour', () => {
    const quota = new DailyQuota(2_000);
    const now = Date.parse('2026-12-01T12:00:00Z');
    quota.record(now, 5);
    quota.restore({ [String(now)]: 3, [String(now - 3_600_000)]: 7 }, now);

    expect(quota.used(now)).toBe(12);
  });
});

describe('TenantPacer', () => {
  test('paces a backlog to 40 calls in any 5 seconds', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer(entra, clock);

    const granted = await grantTimes(pacer, clock, 100);

    const start = granted[0]!;
    expect(granted.filter((t) => t < start + 5_000)).toHaveLength(40);
    for (const t of granted) {
      expect(granted.filter((u) => u >= t && u < t + 5_000).length).toBeLessThanOrEqual(40);
    }
    // Sustained: 100 calls take just over two windows (each kept 50 ms longer than Entra's).
    expect(granted[99]! - start).toBeLessThanOrEqual(10_200);
  });

  test('waits out a Retry-After before the next call, for every job of the tenant', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer(entra, clock);
    await pacer.acquire();
    pacer.pauseFor(7_000);

    const [next] = await grantTimes(pacer, clock, 1);

    expect(next).toBeGreaterThanOrEqual(Date.parse('2026-12-01T09:00:07Z'));
    expect(next).toBeLessThan(Date.parse('2026-12-01T09:00:07.200Z'));
  });

  test('a replica with a quarter of the partitions takes a quarter of the window', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer(entra, clock);
    pacer.setShare(3 / 12);

    const granted = await grantTimes(pacer, clock, 30);

    expect(pacer.usage()).toMatchObject({ quota: 2_000, windowLimit: 10 });
    expect(granted.filter((t) => t < granted[0]! + 5_000)).toHaveLength(10);
  });

  test("the daily quota counts other replicas' calls, whatever the shares", async () => {
    const clock = new ManualClock();
    const hour = String(clock.now() - (clock.now() % 3_600_000));
    // Replica B made 1,000 calls, then restarted; for a moment A holds every partition.
    const others = [{ [hour]: 1_000 }];
    const pacer = new TenantPacer({ ...entra, callsPerWindow: 1_000 }, clock, {
      otherCalls: () => others,
    });
    pacer.restoreCalls({ [hour]: 990 });
    pacer.setShare(1);

    await grantTimes(pacer, clock, 10, 1);
    expect(pacer.usage()).toMatchObject({ used: 2_000, remaining: 0 });
    let past = false;
    void pacer.acquire().then(() => (past = true));
    await clock.advance(60 * 60 * 1000);
    expect(past).toBe(false);

    // B's calls of that hour leave the rolling day, and so do A's own: a call fits again.
    await clock.advance(24 * 60 * 60 * 1000);
    expect(past).toBe(true);
  });

  test("another replica's calls made after this one started count too", async () => {
    const clock = new ManualClock();
    const hour = String(clock.now() - (clock.now() % 3_600_000));
    const b: Record<string, number> = {};
    const pacer = new TenantPacer({ ...entra, callsPerWindow: 1_000, dailyQuota: 100 }, clock, {
      otherCalls: () => [b],
    });
    await grantTimes(pacer, clock, 50, 1);
    b[hour] = 50;
    expect(pacer.usage()).toMatchObject({ used: 100, remaining: 0 });
    expect(pacer.lowBudget()).toBe(true);
  });

  test('a call counts in the window from its answer, however late it left', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const pacer = new TenantPacer({ ...entra, callsPerWindow: 1 }, clock);
    const first = await pacer.acquire();
    // Entra counted the call somewhere in the 400 ms before its answer.
    await clock.advance(400);
    pacer.answered(first);

    let second: number | undefined;
    void pacer.acquire().then(() => (second = clock.now()));
    // A window and its margin after the admission would be 5,050 ms: too early.
    await clock.advance(4_700);
    expect(second).toBeUndefined();
    await clock.advance(400);
    expect(second).toBe(start + 400 + 5_050);
    // The daily quota counts each call once.
    expect(pacer.usage().used).toBe(2);
  });

  test('an answer does not move a call earlier than it was admitted', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const pacer = new TenantPacer({ ...entra, callsPerWindow: 1 }, clock);
    const slot = await pacer.acquire();
    pacer.answered(slot);

    let second: number | undefined;
    void pacer.acquire().then(() => (second = clock.now()));
    await clock.advance(6_000);
    expect(second).toBe(start + 5_050);
  });

  test('a released slot counts neither in the window nor against the quota', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer({ ...entra, callsPerWindow: 2 }, clock);
    await pacer.acquire();
    const unused = await pacer.acquire();
    pacer.release(unused);

    let third = false;
    void pacer.acquire().then(() => (third = true));
    await clock.advance(0);
    expect(third).toBe(true);
    expect(pacer.usage().used).toBe(2);
    expect(Object.values(pacer.ownCalls())).toEqual([2]);
  });

  test('stops at the daily quota and reports a low budget before it', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer({ ...entra, callsPerWindow: 1_000, dailyQuota: 20 }, clock);

    await grantTimes(pacer, clock, 17, 1);
    expect(pacer.lowBudget()).toBe(false);
    await grantTimes(pacer, clock, 2, 1);
    expect(pacer.lowBudget()).toBe(true);
    await grantTimes(pacer, clock, 1, 1);

    let twentyFirst = false;
    void pacer.acquire().then(() => (twentyFirst = true));
    await clock.advance(60 * 60 * 1000);
    expect(twentyFirst).toBe(false);
    await clock.advance(24 * 60 * 60 * 1000);
    expect(twentyFirst).toBe(true);
  });

  test('an aborted wait rejects with the reason', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer(entra, clock);
    pacer.pauseFor(60_000);
    const stop = new AbortController();

    const waiting = pacer.acquire(stop.signal);
    stop.abort(new Error('stopping'));

    await expect(waiting).rejects.toThrow('stopping');
  });
});

describe('backoff', () => {
  test('grows exponentially under a cap, with full jitter', () => {
    const policy = { baseMs: 1_000, capMs: 60_000 };

    expect(backoffDelay(policy, 0, () => 1)).toBe(1_000);
    expect(backoffDelay(policy, 3, () => 1)).toBe(8_000);
    expect(backoffDelay(policy, 20, () => 1)).toBe(60_000);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(4_000);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });

  test('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-12-01T09:00:00Z');

    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('TenantPacer after a 429', () => {
  test('halves the calls it allows from what it made, then probes up by one a window', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer(entra, clock);
    // 20 calls in the first second, then Entra says 429: someone else uses the rest.
    await grantTimes(pacer, clock, 20, 50);
    pacer.throttled(1_000);
    expect(pacer.usage().windowLimit).toBe(10);

    const start = clock.now();
    const granted = await grantTimes(pacer, clock, 30, 50);
    // Nothing before the pause ends, and no window holds more than the learnt limit plus one
    // probe for each window that has passed.
    expect(granted[0]).toBeGreaterThanOrEqual(start + 1_000);
    for (const at of granted) {
      const inWindow = granted.filter((t) => t >= at && t < at + 5_000).length;
      expect(inWindow).toBeLessThanOrEqual(11 + Math.floor((at - start) / 5_000));
    }
    expect(pacer.usage().windowLimit).toBeGreaterThan(10);
  });

  test('a second 429 from the same burst does not halve again below what was made', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer(entra, clock);
    await grantTimes(pacer, clock, 8, 10);
    pacer.throttled(0);
    pacer.throttled(0);
    expect(pacer.usage().windowLimit).toBe(4);
  });

  test('recovers the configured limit after quiet windows', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer({ ...entra, callsPerWindow: 4 }, clock);
    await grantTimes(pacer, clock, 4, 10);
    pacer.throttled(0);
    expect(pacer.usage().windowLimit).toBe(2);
    for (let i = 0; i < 3; i++) {
      await clock.advance(5_000);
      await grantTimes(pacer, clock, 1);
    }
    expect(pacer.usage().windowLimit).toBe(4);
  });

  test('a 503 pauses without lowering the limit', async () => {
    const clock = new ManualClock();
    const pacer = new TenantPacer(entra, clock);
    await grantTimes(pacer, clock, 10, 10);
    pacer.pauseFor(2_000);
    expect(pacer.usage().windowLimit).toBe(40);
  });
});
