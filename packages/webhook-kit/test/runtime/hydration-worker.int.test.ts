import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Secret } from '@tributary/config';
import {
  Producer,
  createKafkaClient,
  deadLetterTopic,
  typedTopic,
  workerEventCodec,
  type Kafka,
} from '@tributary/kafka';
import {
  HydrationWorker,
  rawDeliveriesTopic,
  type Connection,
  type ConnectionEntry,
  type RawDelivery,
} from '../../src/index.ts';
import {
  countRecords,
  createTestTopics,
  readRecords,
  uncommittedRecords,
  waitFor,
  type TestTopics,
} from '../../src/testing.ts';
import { directoryAdapter } from '../fixtures/directory-adapter.ts';
import {
  startDirectoryApiStandIn,
  type DirectoryApiStandIn,
} from '../fixtures/directory-api-stand-in.ts';

let kafka: Kafka;
let producer: Producer;
let api: DirectoryApiStandIn;
let connection: Connection;
let context: ReturnType<typeof directoryAdapter.createContext>;

beforeAll(async () => {
  kafka = createKafkaClient({
    clientId: 'hydration-worker-test',
    brokers: process.env['KAFKA_BROKERS']!.split(','),
  });
  producer = new Producer(kafka);
  api = await startDirectoryApiStandIn();
  connection = {
    id: 'dir',
    system: 'directory',
    tenantId: 'directory-tenant',
    secrets: [new Secret('unused')],
    options: {},
    hydration: {
      baseUrl: api.baseUrl,
      credentials: {},
      mode: 'deferred',
      delayMs: 0,
      inlineBudgetMs: 1_000,
      timeoutMs: 2_000,
      // One attempt per call: every failure reaches the worker, whose retries are under test.
      maxAttempts: 1,
      requestsPerSecond: 1_000,
    },
  };
  context = directoryAdapter.createContext(connection);
});

afterAll(async () => {
  await directoryAdapter.closeContext?.(context);
  await producer?.disconnect();
  await api?.close();
});

/** A fresh set of topics and a worker factory for one test; every worker shares one group. */
async function rig(label: string) {
  const topics: TestTopics = await createTestTopics(kafka, label);
  const rawDeliveries = rawDeliveriesTopic(topics.rawDeliveries);
  const groupId = `hydration-test-${randomUUID()}`;
  const retries: string[] = [];
  const deadLettered: string[] = [];
  const connections = new Map<string, ConnectionEntry<typeof context>>([
    [connection.id, { connection, context }],
  ]);
  const worker = () =>
    new HydrationWorker(kafka, {
      adapter: directoryAdapter,
      connections,
      producer,
      rawDeliveries,
      workerEvents: typedTopic(topics.workerEvents, workerEventCodec),
      deadLetter: typedTopic(topics.deadLetter, deadLetterTopic.codec),
      groupId,
      maxRetryDelayMs: 50,
      joinBackoff: { baseMs: 100, maxMs: 500 },
      onRetry: ({ code }) => retries.push(code),
      onDeadLettered: ({ code }) => deadLettered.push(code),
    });
  /** Raw deliveries under one Kafka key, so they share a partition and keep their order. */
  const deliver = async (key: string, employeeIds: string[]) => {
    const now = new Date().toISOString();
    await producer.send(
      rawDeliveries,
      employeeIds.map((employeeId) => ({
        key: `dir/${key}`,
        value: {
          version: 1,
          system: 'directory',
          connectionId: 'dir',
          deliveryId: `d-${employeeId}`,
          idempotencyKey: `dir:d-${employeeId}`,
          receivedAt: now,
          notBefore: now,
          payload: { employeeId },
        } satisfies RawDelivery,
      })),
    );
  };
  const published = async (count: number) =>
    (await readRecords(kafka, typedTopic(topics.workerEvents, workerEventCodec), count)).map(
      (record) => record.value,
    );
  const uncommitted = () => uncommittedRecords(kafka, groupId, topics.rawDeliveries.name);
  return { topics, worker, deliver, published, uncommitted, retries, deadLettered };
}

describe('HydrationWorker against a real broker', () => {
  it('dead-letters a delivery the vendor refuses for good, with its code and reason, and moves on', async () => {
    const { topics, worker, deliver, published, uncommitted, deadLettered } =
      await rig('hydration-gone');
    api.titles.set('p-ok', 'Engineer');
    await deliver('same-worker', ['p-gone', 'p-ok']);

    const hydrator = worker();
    hydrator.start();
    try {
      const [letter] = await readRecords(
        kafka,
        typedTopic(topics.deadLetter, deadLetterTopic.codec),
        1,
      );
      expect(letter!.key).toBe('dir/same-worker');
      expect(letter!.value).toMatchObject({
        code: 'HYDRATION_REFUSED',
        stage: 'hydrator',
        source: { topic: topics.rawDeliveries.name, offset: expect.any(String) },
        original: { json: { deliveryId: 'd-p-gone', payload: { employeeId: 'p-gone' } } },
      });
      expect(letter!.value.reason).toContain('answered 404');

      // The record behind it is not held up by the refused one.
      const [event] = await published(1);
      expect(event).toMatchObject({
        idempotencyKey: 'dir:d-p-ok',
        worker: { employeeId: 'p-ok', job: { title: 'Engineer' } },
      });
      await waitFor('both offsets committed', async () => (await uncommitted()) === 0);
      expect(deadLettered).toEqual(['HYDRATION_REFUSED']);
      // A refusal is not retried.
      expect(api.requests.filter((seen) => seen.employeeId === 'p-gone')).toHaveLength(1);
      expect(await countRecords(kafka, topics.workerEvents.name)).toBe(1);
    } finally {
      await hydrator.stop(2_000);
    }
  });

  it('retries a vendor answering 503 and 429, then publishes', async () => {
    const { topics, worker, deliver, published, uncommitted, retries, deadLettered } =
      await rig('hydration-busy');
    api.titles.set('t-busy', 'Analyst');
    api.failFirst('t-busy', [503, 429]);
    await deliver('t-busy', ['t-busy']);

    const hydrator = worker();
    hydrator.start();
    try {
      const [event] = await published(1);
      expect(event).toMatchObject({
        idempotencyKey: 'dir:d-t-busy',
        source: { payloadKind: 'thin' },
        worker: { job: { title: 'Analyst' } },
      });
      await waitFor('offset committed', async () => (await uncommitted()) === 0);
      expect(
        api.requests.filter((seen) => seen.employeeId === 't-busy').map((seen) => seen.status),
      ).toEqual([503, 429, 200]);
      expect(retries).toEqual(['HYDRATION_FAILED', 'HYDRATION_FAILED']);
      expect(deadLettered).toEqual([]);
      expect(await countRecords(kafka, topics.deadLetter.name)).toBe(0);
    } finally {
      await hydrator.stop(2_000);
    }
  });

  it('loses nothing when the worker stops mid-way: only published deliveries were committed', async () => {
    const { topics, worker, deliver, published, uncommitted } = await rig('hydration-restart');
    for (const id of ['r-1', 'r-2', 'r-3']) api.titles.set(id, `Title ${id}`);
    const held = api.hold('r-2');
    await deliver('restart', ['r-1', 'r-2', 'r-3']);

    const first = worker();
    first.start();
    await held.arrived;
    // r-1 is published and committed; r-2 waits on the vendor when the worker is told to stop.
    await waitFor('r-1 committed', async () => (await uncommitted()) === 2);
    await first.stop(5_000);
    held.release();
    expect(await uncommitted()).toBe(2);
    expect(await countRecords(kafka, topics.workerEvents.name)).toBe(1);

    const second = worker();
    second.start();
    try {
      await waitFor('every offset committed', async () => (await uncommitted()) === 0);
      const events = await published(3);
      expect(events.map((event) => event.idempotencyKey).sort()).toEqual([
        'dir:d-r-1',
        'dir:d-r-2',
        'dir:d-r-3',
      ]);
      expect(await countRecords(kafka, topics.workerEvents.name)).toBe(3);
    } finally {
      await second.stop(2_000);
    }
  });
});
