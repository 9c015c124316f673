import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  BatchConsumer,
  Producer,
  createKafkaClient,
  ensureTopics,
  topics,
  typedTopic,
  workerEventCodec,
  type BatchContext,
  type ConsumedRecord,
  type Kafka,
  type TypedTopic,
} from '@tributary/kafka';
import { workerKey, type WorkerEvent } from '@tributary/worker-event';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);

type Handler = (
  records: ConsumedRecord<WorkerEvent>[],
  context: BatchContext,
) => Promise<void> | void;

/** Polls until `check` holds; fails after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves when the signal aborts; rejects then, as a handler that hands its batch back does. */
function handBackOn(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

describe('BatchConsumer with overlapping batches', () => {
  let kafka: Kafka;
  let producer: Producer;
  let topic: TypedTopic<WorkerEvent>;
  const consumers: BatchConsumer<WorkerEvent>[] = [];

  beforeAll(() => {
    kafka = createKafkaClient({ brokers, clientId: 'batch-consumer-test' });
    producer = new Producer(kafka);
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop(5_000)));
    await producer.disconnect();
  });

  async function freshTopic(): Promise<TypedTopic<WorkerEvent>> {
    const spec = { ...topics.workerEvents, name: `test.overlap.${randomUUID()}`, partitions: 1 };
    await ensureTopics(kafka, { replicationFactor: 1, specs: [spec] });
    return typedTopic(spec, workerEventCodec);
  }

  async function publish(...employeeIds: string[]): Promise<void> {
    const events = employeeIds.map((employeeId) => sampleWorkerEvent({ employeeId }));
    await producer.send(
      topic,
      events.map((event) => ({ key: workerKey(event), value: event })),
    );
  }

  function consumer(
    groupId: string,
    handle: Handler,
    maxRecordsInFlight = 1_000,
  ): BatchConsumer<WorkerEvent> {
    const created = new BatchConsumer<WorkerEvent>(kafka, {
      groupId,
      topic,
      maxRecordsInFlight,
      handle: async (records, context) => handle(records, context),
    });
    consumers.push(created);
    return created;
  }

  async function committed(groupId: string): Promise<string | undefined> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic.spec.name] });
      const offset = entry?.partitions[0]?.offset;
      return offset === undefined || offset === '-1' ? undefined : offset;
    } finally {
      await admin.disconnect();
    }
  }

  const ids = (records: ConsumedRecord<WorkerEvent>[]) =>
    records.map((record) => {
      const decoded = record.decode();
      if (!decoded.ok) throw decoded.error;
      return decoded.value.worker.employeeId;
    });

  test('fetching goes on while a batch waits; commit and lag move once both are done', async () => {
    topic = await freshTopic();
    const groupId = `test-${randomUUID()}`;
    const batches: string[][] = [];
    const first = Promise.withResolvers<void>();
    const reader = consumer(groupId, (records) => {
      batches.push(ids(records));
      return batches.length === 1 ? first.promise : undefined;
    });

    await publish('1', '2', '3');
    await reader.start();
    await until('the first batch', () => batches.length === 1);
    await publish('4', '5');

    // The first batch is still open, yet the partition's next records are handed over.
    await until('the second batch while the first waits', () => batches.length === 2);
    expect(batches).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
    ]);
    expect(await committed(groupId)).toBeUndefined();
    // Fetched is not done: all five records still count as lag.
    expect(reader.lag().get(0)).toBe(5n);

    first.resolve();
    await until('both committed', async () => (await committed(groupId)) === '5');
    expect(reader.lag().get(0)).toBe(0n);
  });

  test('past the limit, a fetch is handed over only once earlier records are done', async () => {
    topic = await freshTopic();
    const groupId = `test-${randomUUID()}`;
    const batches: string[][] = [];
    const first = Promise.withResolvers<void>();
    const reader = consumer(
      groupId,
      (records) => {
        batches.push(ids(records));
        return batches.length === 1 ? first.promise : undefined;
      },
      3,
    );

    await publish('1', '2');
    await reader.start();
    await until('the first batch', () => batches.length === 1);
    await publish('3', '4');

    // Two out and two more fetched would make four, past the limit of three: they wait.
    await until('the second fetch', () => reader.lag().get(0) === 4n);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(batches).toEqual([['1', '2']]);

    first.resolve();
    await until('the second batch once the first is done', () => batches.length === 2);
    expect(batches[1]).toEqual(['3', '4']);
    await until('both committed', async () => (await committed(groupId)) === '4');
  });

  test('a batch larger than the limit is handed over alone', async () => {
    topic = await freshTopic();
    const groupId = `test-${randomUUID()}`;
    const batches: string[][] = [];
    const reader = consumer(groupId, (records) => void batches.push(ids(records)), 1);

    await publish('1', '2', '3');
    await reader.start();
    await until('the batch', () => batches.flat().length === 3);
    await until('committed', async () => (await committed(groupId)) === '3');
  });

  test('a later batch that is done does not commit past an earlier one handed back', async () => {
    topic = await freshTopic();
    const groupId = `test-${randomUUID()}`;
    const batches: string[][] = [];
    const reader = consumer(groupId, (records, context) => {
      batches.push(ids(records));
      return batches.length === 1 ? handBackOn(context.signal) : undefined;
    });

    await publish('1', '2');
    await reader.start();
    await until('the first batch', () => batches.length === 1);
    await publish('3');
    await until('the second batch', () => batches.length === 2);
    await reader.stop(5_000);
    expect(await committed(groupId)).toBeUndefined();

    // The next member of the group reads both batches again: nothing was skipped.
    const again: string[] = [];
    const next = consumer(groupId, (records) => {
      again.push(...ids(records));
    });
    await next.start();
    await until('every record read again', () => again.length === 3);
    expect(again).toEqual(['1', '2', '3']);
    await until('all committed', async () => (await committed(groupId)) === '3');
  });

  test('a failed batch is read again from its first record before anything commits', async () => {
    topic = await freshTopic();
    const groupId = `test-${randomUUID()}`;
    const batches: string[][] = [];
    const failing = Promise.withResolvers<void>();
    const reader = consumer(groupId, (records) => {
      batches.push(ids(records));
      return batches.length === 1 ? failing.promise : undefined;
    });

    await publish('1', '2');
    await reader.start();
    await until('the first batch', () => batches.length === 1);
    await publish('3');
    await until('the second batch', () => batches.length === 2);
    failing.reject(new Error('downstream refused'));

    await until('the failed batch again', () => batches.length >= 3);
    expect(batches[2]).toEqual(['1', '2', '3']);
    await until('all committed', async () => (await committed(groupId)) === '3');
  });
});
