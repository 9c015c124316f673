import { afterEach, describe, expect, test } from '@jest/globals';
import { ids, startEntra } from './support/entra.ts';
import { eventually, followDeadLetters } from './support/kafka.ts';
import { startPipeline, workers } from './support/pipeline.ts';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => {});
});

describe('uploader against a failing Entra', () => {
  test('5xx answers and dropped connections lose nothing', async () => {
    const emulator = await startEntra({
      faults: { serverErrorRate: 0.3, dropConnectionRate: 0.15, seed: 7 },
    });
    cleanups.push(() => emulator.stop());
    const { namespace, publisher } = await startPipeline(emulator, cleanups, { lingerMs: 50 });
    const deadLetters = await followDeadLetters(namespace);
    cleanups.push(() => deadLetters.stop());
    const events = workers(400, 'F');

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
    const { faults } = emulator.counters();
    expect(faults.serverErrors).toBeGreaterThan(0);
    expect(faults.dropped).toBeGreaterThan(0);
    expect(deadLetters.letters).toEqual([]);
  }, 120_000);

  test('a 400 on big batches is split down; only what Entra refuses alone is dead-lettered', async () => {
    // Entra refuses more than 8 operations a request here: every batch of 9 or more gets a 400
    // and is halved until the halves fit. Nothing is at fault alone, so nothing is dead-lettered.
    const emulator = await startEntra();
    cleanups.push(() => emulator.stop());
    emulator.configure({ bulkUpload: { maxOperations: 8 } });
    const { namespace, publisher } = await startPipeline(emulator, cleanups, { lingerMs: 50 });
    const deadLetters = await followDeadLetters(namespace);
    cleanups.push(() => deadLetters.stop());
    const events = workers(200, 'S');

    await publisher.publish(events);

    await eventually(
      'every worker uploaded',
      () => emulator.counters().operationsAccepted >= events.length,
      60_000,
    );
    const requests = emulator.bulkRequests();
    expect(requests.some((request) => request.status === 400)).toBe(true);
    expect(
      Math.max(...requests.filter((r) => r.status === 202).map((r) => r.operations)),
    ).toBeLessThanOrEqual(8);
    expect(deadLetters.letters).toEqual([]);
  }, 90_000);

  test('a record Entra refuses is dead-lettered with ENTRA_REJECTED and the rest arrive', async () => {
    // One operation a request is all Entra takes here, and none at all when the request would
    // carry more: with a limit of zero every request is refused, so each record ends alone.
    const emulator = await startEntra();
    cleanups.push(() => emulator.stop());
    const { namespace, publisher } = await startPipeline(emulator, cleanups, { lingerMs: 50 });
    const deadLetters = await followDeadLetters(namespace);
    cleanups.push(() => deadLetters.stop());

    emulator.configure({ bulkUpload: { maxOperations: 0 } });
    await publisher.publish(workers(3, 'R'));
    await eventually('three dead letters', () => deadLetters.letters.length === 3, 30_000);
    emulator.configure({ bulkUpload: { maxOperations: 50 } });
    const after = workers(20, 'A');
    await publisher.publish(after);
    await eventually(
      'later workers uploaded',
      () => emulator.counters().operationsAccepted >= after.length,
      30_000,
    );

    expect(deadLetters.letters.map((letter) => letter.code)).toEqual([
      'ENTRA_REJECTED',
      'ENTRA_REJECTED',
      'ENTRA_REJECTED',
    ]);
    expect(deadLetters.letters.map((letter) => letter.job)).toEqual([
      'contoso-workers',
      'contoso-workers',
      'contoso-workers',
    ]);
    for (const letter of deadLetters.letters) {
      expect(letter.reason).toMatch(/^bulkUpload answered 400 /);
      expect(letter.source.key).toMatch(/^contoso-hr\/R[0-2]$/);
    }
  }, 90_000);
});
