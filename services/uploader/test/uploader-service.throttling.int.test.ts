import { afterEach, describe, expect, test } from '@jest/globals';
import type { BulkRequestRecord } from '@tributary/entra-emulator';
import { ids, startEntra } from './support/entra.ts';
import { eventually } from './support/kafka.ts';
import { startPipeline, workers } from './support/pipeline.ts';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => {});
});

/** What the emulator allows: another client shares the tenant, so less than our own limit. */
const tenantLimit = 4;
const windowMs = 2_000;
/**
 * Arrival times at the emulator are not admission times at the pacer: TLS and the event loop
 * add a few milliseconds either way. Windows a little shorter than Entra's absorb that.
 */
const arrivalJitterMs = 150;

/**
 * The most calls (202 and 429 alike) that arrived in any window of the throttled period, not
 * counting the first window after the first 429: requests already on the wire when it came back
 * could not have known about it.
 */
function busiestWindowAfterFirst429(requests: BulkRequestRecord[]): {
  first429: number;
  busiest: number;
  windows: number;
} {
  const times = requests.map((request) => Date.parse(request.receivedAt)).sort((a, b) => a - b);
  const first429 = Math.min(
    ...requests.filter((r) => r.status === 429).map((r) => Date.parse(r.receivedAt)),
  );
  let busiest = 0;
  let windows = 0;
  for (const start of times.filter((time) => time >= first429 + windowMs)) {
    const inWindow = times.filter((t) => t >= start && t < start + windowMs - arrivalJitterMs);
    busiest = Math.max(busiest, inWindow.length);
    windows++;
  }
  return { first429, busiest, windows };
}

describe.each([
  { retryAfter: true, name: 'with Retry-After' },
  { retryAfter: false, name: 'without Retry-After' },
])('a 429 storm $name', ({ retryAfter }) => {
  test('loses nothing and keeps to the tenant’s limit once throttled', async () => {
    const emulator = await startEntra({
      throttling: { enabled: true, maxCallsPerWindow: tenantLimit, windowSeconds: 2, retryAfter },
    });
    cleanups.push(() => emulator.stop());
    // Our own limit is ten times Entra's, as if a second client used most of the tenant's.
    const { publisher } = await startPipeline(emulator, cleanups, {
      limits: { callsPerWindow: 40, windowMs },
      lingerMs: 50,
    });
    const events = workers(800, 'T');

    await publisher.publish(events);

    await eventually(
      'every worker uploaded',
      () => emulator.counters().operationsAccepted >= events.length,
      90_000,
    );
    await emulator.waitForIdle();
    for (const event of events) {
      expect(emulator.user(event.worker.employeeId, ids.tenantId)).toBeDefined();
    }

    const requests = emulator.bulkRequests();
    const throttled = requests.filter((request) => request.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(requests.every((request) => request.status === 202 || request.status === 429)).toBe(
      true,
    );
    // Enough throttled time to judge: several windows after the first one.
    const { busiest, windows } = busiestWindowAfterFirst429(requests);
    expect(windows).toBeGreaterThan(4);
    // The pacer probes for a higher limit by one call a window, so one call may be refused.
    expect(busiest).toBeLessThanOrEqual(tenantLimit + 1);
  }, 120_000);
});
