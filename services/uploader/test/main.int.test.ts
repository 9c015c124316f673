import { afterEach, describe, expect, test } from '@jest/globals';
import { createKafkaClient } from '@tributary/kafka';
import {
  startChildUploader,
  removeDir,
  writeTargets,
  type ChildUploader,
} from './support/child-uploader.ts';
import { ids, startEntra } from './support/entra.ts';
import { EventPublisher, brokers, eventually, testNamespace } from './support/kafka.ts';
import { workers } from './support/pipeline.ts';

const cleanups: (() => Promise<unknown>)[] = [];
const children: ChildUploader[] = [];

afterEach(async () => {
  // A child left running would keep uploading into the next test's emulator: kill it first.
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await child.exited();
  }
  while (cleanups.length > 0) await cleanups.pop()!().catch(() => {});
});

async function setup(lingerMs = 50) {
  const emulator = await startEntra();
  cleanups.push(() => emulator.stop());
  const targets = writeTargets(emulator, lingerMs);
  cleanups.push(async () => removeDir(targets.dir));
  const namespace = testNamespace();
  const publisher = new EventPublisher(namespace);
  await publisher.prepare();
  cleanups.push(() => publisher.close());
  const env = {
    TOPIC_NAMESPACE: namespace,
    TARGETS_FILE: targets.file,
    CONSUMER_GROUP: `${namespace}-uploader`,
    INSTANCE_ID: `${namespace}-1`,
    SHUTDOWN_DEADLINE_MS: '8000',
  };
  const start = () => {
    const child = startChildUploader(env);
    children.push(child);
    return child;
  };
  return { emulator, namespace, publisher, start };
}

async function readyz(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Operations the emulator accepted, by externalId: more than one means an upload was repeated. */
function acceptedOps(emulator: Awaited<ReturnType<typeof startEntra>>): number {
  return emulator.counters().operationsAccepted;
}

describe('the uploader as a process', () => {
  test('/readyz waits for the group and a token; /healthz answers from the start', async () => {
    const { emulator, start } = await setup();
    // No token can be had: the token endpoint drops every connection.
    emulator.configure({ faults: { routes: ['token'], dropConnectionRate: 1 } });
    const child = start();
    const port = await child.port();

    const first = await readyz(port);
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ member: false, tokens: { contoso: false } });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    // In the group, still no token: not ready.
    await eventually('consumer joined', async () => (await readyz(port)).body.member === true);
    expect(await readyz(port)).toMatchObject({ status: 503, body: { tokens: { contoso: false } } });

    emulator.configure({ faults: { routes: ['bulkUpload'], dropConnectionRate: 0 } });
    await eventually('ready', async () => (await readyz(port)).status === 200, 30_000);
    expect((await readyz(port)).body).toMatchObject({ status: 'ready', member: true });
  }, 90_000);

  test('SIGKILL with uploads in flight, then a restart: every worker arrives', async () => {
    const { emulator, publisher, start } = await setup();
    emulator.configure({ faults: { latencyMs: 400 } });
    const events = workers(400, 'K');
    const first = start();
    await first.port();

    await publisher.publish(events);
    await eventually('some uploads answered', () => emulator.counters().bulkRequests >= 2);
    expect(acceptedOps(emulator)).toBeLessThan(events.length);
    first.kill('SIGKILL');
    expect(await first.exited()).toMatchObject({ signal: 'SIGKILL' });
    const beforeRestart = acceptedOps(emulator);

    emulator.configure({ faults: { latencyMs: 0 } });
    start();
    // The killed member's partitions come back once its session expires (30 s).
    await eventually(
      'every worker uploaded',
      async () => {
        await emulator.runCycle();
        return events.every((event) => emulator.user(event.worker.employeeId, ids.tenantId));
      },
      80_000,
    );
    expect(beforeRestart).toBeLessThan(events.length);
  }, 120_000);

  test('SIGTERM mid-upload exits 0 on time and a restart uploads nothing twice', async () => {
    const { emulator, namespace, publisher, start } = await setup();
    emulator.configure({ faults: { latencyMs: 300 } });
    const events = workers(300, 'G');
    const first = start();
    await first.port();

    await publisher.publish(events);
    await eventually('some uploads answered', () => emulator.counters().bulkRequests >= 1);
    const stopAt = Date.now();
    first.kill('SIGTERM');
    const { code } = await first.exited();
    expect(code).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(8_000 + 2_000);
    expect(first.lines.some((line) => line.msg === 'uploader stopped')).toBe(true);
    const acceptedBeforeStop = acceptedOps(emulator);
    const requestsBeforeStop = emulator.counters().bulkRequests;

    // What was accepted was committed or recorded: the restart uploads only the rest, once.
    emulator.configure({ faults: { latencyMs: 0 } });
    const second = start();
    await second.port();
    await eventually('every worker uploaded', () => acceptedOps(emulator) >= events.length, 60_000);
    await eventually('caught up', async () => (await committedLag(namespace)) === 0, 30_000);
    expect(acceptedOps(emulator)).toBe(events.length);
    const uploadedAfterRestart = emulator
      .bulkRequests()
      .slice(requestsBeforeStop)
      .reduce((sum, request) => sum + request.operations, 0);
    expect(uploadedAfterRestart).toBe(events.length - acceptedBeforeStop);

    // And a second graceful stop and start finds nothing left to do.
    second.kill('SIGTERM');
    expect((await second.exited()).code).toBe(0);
    const requestsBefore = emulator.counters().bulkRequests;
    const third = start();
    const port = await third.port();
    await eventually('ready', async () => (await readyz(port)).status === 200, 45_000);
    expect(emulator.counters().bulkRequests).toBe(requestsBefore);
  }, 150_000);
});

/** Records of the worker-events topic not yet committed by the uploader's group. */
async function committedLag(namespace: string): Promise<number> {
  const kafka = createKafkaClient({ brokers: brokers(), clientId: 'test-lag' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topic = `${namespace}.tributary.worker-events.v1`;
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({
      groupId: `${namespace}-uploader`,
      topics: [topic],
    });
    let lag = 0;
    for (const end of ends) {
      const at = committed!.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      lag += Number(end.high) - Math.max(Number(at), Number(end.low));
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
