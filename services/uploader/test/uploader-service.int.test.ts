import { afterEach, describe, expect, test } from '@jest/globals';
import type { EntraEmulator } from '@tributary/entra-emulator';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import type { WorkerEvent } from '@tributary/worker-event';
import { provisioningOutcomesTopic } from '../src/records/provisioning-outcome.ts';
import { ids, startEntra } from './support/entra.ts';
import { eventually, follow, followDeadLetters } from './support/kafka.ts';
import { startPipeline } from './support/pipeline.ts';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => {});
});

const pipeline = (emulator: EntraEmulator) => startPipeline(emulator, cleanups);

/** A reporting tree: E0 leads, every other worker reports to E((n-1)/5). */
function hires(count: number): WorkerEvent[] {
  return Array.from({ length: count }, (_, n) =>
    sampleWorkerEvent({
      employeeId: `E${n}`,
      ...(n === 0 ? {} : { managerEmployeeId: `E${Math.floor((n - 1) / 5)}` }),
    }),
  );
}

describe('uploader against Kafka and the Entra emulator', () => {
  test('500 hires published reports-first end with every manager set', async () => {
    const emulator = await startEntra();
    cleanups.push(() => emulator.stop());
    const { publisher, uploader } = await pipeline(emulator);
    const events = hires(500);

    await publisher.publish([...events].reverse());

    await eventually('every worker created', () => emulator.users(ids.tenantId).length === 500);
    await eventually('every manager resolved', () =>
      emulator
        .users(ids.tenantId)
        .every((user) => user.employeeId === 'E0' || user.manager?.employeeId !== undefined),
    );
    for (const event of events.slice(1)) {
      const user = emulator.user(event.worker.employeeId, ids.tenantId);
      expect(user?.manager?.employeeId).toBe(event.worker.manager?.employeeId);
    }
    expect(uploader.unresolvedManagers()).toEqual({ 'contoso-workers': 0 });
    // At most 50 operations a call, and far fewer calls than workers.
    const calls = emulator.bulkRequests().filter((request) => request.status === 202);
    expect(Math.max(...calls.map((call) => call.operations))).toBeLessThanOrEqual(50);
    expect(calls.length).toBeLessThan(60);
  });

  test('the same snapshot sent twice is uploaded once', async () => {
    const emulator = await startEntra();
    cleanups.push(() => emulator.stop());
    const { publisher } = await pipeline(emulator);
    const first = sampleWorkerEvent({ employeeId: 'twice' });
    const again: WorkerEvent = { ...structuredClone(first), eventId: sampleWorkerEvent().eventId };

    await publisher.publish([first]);
    await eventually('first upload', () => emulator.bulkRequests().length === 1);
    await publisher.publish([again]);
    const changed = sampleWorkerEvent({
      employeeId: 'twice',
      worker: { job: { title: 'Director' } },
    });
    await publisher.publish([changed]);
    await eventually('changed snapshot uploaded', () => emulator.bulkRequests().length === 2);
    await emulator.waitForIdle();

    expect(emulator.bulkRequests().map((request) => request.operations)).toEqual([1, 1]);
    expect(emulator.user('twice', ids.tenantId)?.attributes.jobTitle).toBe('Director');
  });

  test('a malformed record is dead-lettered with its reason and everything else arrives', async () => {
    const emulator = await startEntra();
    cleanups.push(() => emulator.stop());
    const { namespace, publisher } = await pipeline(emulator);
    const deadLetters = await followDeadLetters(namespace);
    cleanups.push(() => deadLetters.stop());

    await publisher.publish([sampleWorkerEvent({ employeeId: 'before' })]);
    await publisher.publishRaw('contoso-hr/garbage', '{"eventId": "not json');
    await publisher.publish([
      sampleWorkerEvent({ employeeId: 'stranger', connectionId: 'unknown-hr' }),
      sampleWorkerEvent({ employeeId: 'after' }),
    ]);

    await eventually('good records created', () =>
      ['before', 'after'].every((id) => emulator.user(id, ids.tenantId) !== undefined),
    );
    await eventually('two dead letters', () => deadLetters.letters.length === 2);

    const codes = deadLetters.letters.map((letter) => letter.code).sort();
    expect(codes).toEqual(['MESSAGE_UNDECODABLE', 'UNKNOWN_CONNECTION']);
    const garbage = deadLetters.letters.find((letter) => letter.code === 'MESSAGE_UNDECODABLE');
    expect(garbage).toMatchObject({
      stage: 'uploader',
      source: { key: 'contoso-hr/garbage', topic: `${namespace}.tributary.worker-events.v1` },
      original: { base64: Buffer.from('{"eventId": "not json').toString('base64') },
    });
    expect(emulator.user('stranger', ids.tenantId)).toBeUndefined();
  });

  test('what Entra did with each record is read back from its logs onto the outcomes topic', async () => {
    const emulator = await startEntra({}, [
      'SynchronizationData-User.Upload.OwnedBy',
      'ProvisioningLog.Read.All',
    ]);
    cleanups.push(() => emulator.stop());
    const { namespace, publisher } = await startPipeline(emulator, cleanups, {
      env: { OUTCOMES_POLL_MS: '200' },
    });
    const outcomes = await follow(namespace, provisioningOutcomesTopic);
    cleanups.push(() => outcomes.stop());
    const bad = sampleWorkerEvent({ employeeId: 'bad-upn' });
    bad.worker.userName = 'no at sign';

    await publisher.publish([
      sampleWorkerEvent({ employeeId: 'good-1' }),
      sampleWorkerEvent({ employeeId: 'good-2' }),
      bad,
    ]);

    await eventually('three outcomes', () => outcomes.values.length >= 3);
    const byWorker = Object.fromEntries(outcomes.values.map((o) => [o.externalId, o]));
    expect(byWorker['good-1']).toMatchObject({ action: 'create', status: 'success' });
    expect(byWorker['good-2']).toMatchObject({ action: 'create', status: 'success' });
    expect(byWorker['bad-upn']).toMatchObject({
      status: 'failure',
      error: { code: 'AzureActiveDirectoryInvalidUserPrincipalName' },
    });
    expect(new Set(outcomes.values.map((o) => o.logId)).size).toBe(outcomes.values.length);
  });
});
