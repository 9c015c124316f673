import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { isTributaryError } from '@tributary/errors';
import { startKafka } from '@tributary/kafka-broker';
import {
  BatchConsumer,
  Producer,
  createKafkaClient,
  ensureTopics,
  topics,
  typedTopic,
  workerEventCodec,
  type ConsumedRecord,
  type Kafka,
  type TopicSpec,
} from '@tributary/kafka';
import { workerKey, type WorkerEvent } from '@tributary/worker-event';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const exporter = new InMemorySpanExporter();

function uniqueTopic(): TopicSpec {
  return { ...topics.workerEvents, name: `test.worker-events.${randomUUID()}`, partitions: 3 };
}

/** Collects what a consumer hands over until `done` says it has enough. */
function collect<T>(
  kafka: Kafka,
  spec: TopicSpec,
  done: (records: ConsumedRecord<T>[]) => boolean,
) {
  const records: ConsumedRecord<T>[] = [];
  let settle: () => void;
  const finished = new Promise<void>((resolve) => (settle = resolve));
  const consumer = new BatchConsumer<T>(kafka, {
    groupId: `test-${randomUUID()}`,
    topic: typedTopic(spec, workerEventCodec as never),
    concurrency: 3,
    handle: async (batch) => {
      records.push(...batch);
      if (done(records)) settle();
    },
  });
  return { consumer, records, finished };
}

/** The record's decoded value; fails the test if it does not decode. */
function valueOf<T>(record: ConsumedRecord<T>): T {
  const decoded = record.decode();
  if (!decoded.ok) throw decoded.error;
  return decoded.value;
}

describe('Kafka layer against a real broker', () => {
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
    );
    kafka = createKafkaClient({ brokers, clientId: 'kafka-layer-test' });
    producer = new Producer(kafka);
  });

  afterAll(async () => {
    await producer.disconnect();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  test('an event with trace headers comes back validated, equal and in context', async () => {
    const spec = uniqueTopic();
    await ensureTopics(kafka, { replicationFactor: 1, specs: [spec] });
    const topic = typedTopic(spec, workerEventCodec);
    const event = sampleWorkerEvent({ employeeId: '701984', managerEmployeeId: '100' });

    const parent = trace.getTracer('test').startSpan('webhook');
    await context.with(trace.setSpan(context.active(), parent), () =>
      producer.send(topic, [{ key: workerKey(event), value: event }]),
    );
    parent.end();

    const { consumer, records, finished } = collect<WorkerEvent>(kafka, spec, (r) => r.length >= 1);
    await consumer.start();
    await finished;
    await consumer.stop();

    const [record] = records;
    expect(record?.decode()).toEqual({ ok: true, value: event });
    expect(record?.key).toBe('contoso-hr/701984');
    expect(record?.headers.traceparent?.toString()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(trace.getSpanContext(record!.traceContext)?.traceId).toBe(parent.spanContext().traceId);

    const spans = exporter.getFinishedSpans();
    const send = spans.find((span) => span.name === `send ${spec.name}`);
    const process = spans.find((span) => span.name === `process ${spec.name}`);
    expect(send?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(process?.links.map((link) => link.context.spanId)).toContain(send?.spanContext().spanId);
    expect(JSON.stringify(send?.attributes)).not.toContain('701984');
  });

  test('one worker keeps its order; a malformed record is reported, the rest arrive', async () => {
    const spec = uniqueTopic();
    await ensureTopics(kafka, { replicationFactor: 1, specs: [spec] });
    const topic = typedTopic(spec, workerEventCodec);
    const events = [1, 2, 3, 4, 5].map((n) =>
      sampleWorkerEvent({ employeeId: '42', worker: { job: { title: `Title ${n}` } } }),
    );

    await producer.send(
      topic,
      events.slice(0, 2).map((e) => ({ key: workerKey(e), value: e })),
    );
    // Bytes that bypass the codec, as a foreign or buggy producer might write them.
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({
      topic: spec.name,
      messages: [{ key: 'contoso-hr/42', value: '{"not":"an event"' }],
    });
    await raw.disconnect();
    await producer.send(
      topic,
      events.slice(2).map((e) => ({ key: workerKey(e), value: e })),
    );

    const { consumer, records, finished } = collect<WorkerEvent>(kafka, spec, (r) => r.length >= 6);
    await consumer.start();
    await finished;
    await consumer.stop();

    const decoded = records.map((record) => ({ record, result: record.decode() }));
    const broken = decoded.flatMap(({ record, result }) => (result.ok ? [] : [{ record, result }]));
    expect(broken).toHaveLength(1);
    expect(isTributaryError(broken[0]!.result.error, 'MESSAGE_UNDECODABLE')).toBe(true);
    expect(broken[0]!.record.raw?.toString()).toBe('{"not":"an event"');
    const titles = decoded.flatMap(({ result }) =>
      result.ok ? [result.value.worker.job?.title] : [],
    );
    expect(titles).toEqual(['Title 1', 'Title 2', 'Title 3', 'Title 4', 'Title 5']);
  });

  test('committed offsets survive a group restart: nothing read twice or lost', async () => {
    const spec = uniqueTopic();
    await ensureTopics(kafka, { replicationFactor: 1, specs: [spec] });
    const topic = typedTopic(spec, workerEventCodec);
    const groupId = `test-${randomUUID()}`;
    const first = sampleWorkerEvent({ employeeId: '1' });
    const second = sampleWorkerEvent({ employeeId: '1' });

    const seen: string[] = [];
    const run = async (want: number) => {
      let settle: () => void;
      const enough = new Promise<void>((resolve) => (settle = resolve));
      const consumer = new BatchConsumer(kafka, {
        groupId,
        topic,
        handle: async (batch) => {
          seen.push(...batch.map((r) => valueOf(r).eventId));
          if (seen.length >= want) settle();
        },
      });
      await consumer.start();
      await enough;
      await consumer.stop();
    };

    await producer.send(topic, [{ key: workerKey(first), value: first }]);
    await run(1);
    await producer.send(topic, [{ key: workerKey(second), value: second }]);
    await run(2);

    expect(seen).toEqual([first.eventId, second.eventId]);
  });

  test('concurrent sends larger than one request together are split, not refused', async () => {
    const spec = uniqueTopic();
    await ensureTopics(kafka, { replicationFactor: 1, specs: [spec] });
    const topic = typedTopic(spec, workerEventCodec);
    // Twenty sends of 400 events (about 1.5 kB each): some 12 MB at once, past the broker's 1 MiB.
    const sends = Array.from({ length: 20 }, (_, n) =>
      Array.from({ length: 400 }, (_, m) => sampleWorkerEvent({ employeeId: `${n}-${m}` })),
    );

    await Promise.all(
      sends.map((events) =>
        producer.send(
          topic,
          events.map((e) => ({ key: workerKey(e), value: e })),
        ),
      ),
    );

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(spec.name);
    await admin.disconnect();
    expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(8_000);
  });

  test('ensureTopics creates only what is missing and never auto-creates', async () => {
    const spec = uniqueTopic();

    expect(await ensureTopics(kafka, { replicationFactor: 1, specs: [spec] })).toEqual([spec.name]);
    expect(await ensureTopics(kafka, { replicationFactor: 1, specs: [spec] })).toEqual([]);
    await expect(
      ensureTopics(kafka, { replicationFactor: 1, specs: [{ ...spec, partitions: 6 }] }),
    ).rejects.toThrow(`topic ${spec.name} has 3 partitions, 6 declared`);

    const event = sampleWorkerEvent();
    const unknown = typedTopic(uniqueTopic(), workerEventCodec);
    const shortLived = new Producer(kafka, { sendTimeoutMs: 5_000 });
    await expect(shortLived.send(unknown, [{ key: 'k', value: event }])).rejects.toMatchObject({
      code: expect.stringMatching(/^KAFKA_/),
    });
    await shortLived.disconnect();
  });

  test('with a linger, a send after a pause waits for company; all arrive in order', async () => {
    const spec = uniqueTopic();
    await ensureTopics(kafka, { replicationFactor: 1, specs: [spec] });
    const topic = typedTopic(spec, workerEventCodec);
    const lingering = new Producer(kafka, { lingerMs: 400 });
    const event = (n: number) =>
      sampleWorkerEvent({ employeeId: '42', worker: { job: { title: `T${n}` } } });

    // Connected first, so that only the linger can hold the next send back.
    await lingering.send(topic, [{ key: 'k', value: event(0) }]);
    let firstDone = false;
    const first = lingering.send(topic, [{ key: 'k', value: event(1) }]).then(() => {
      firstDone = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The linger timer cannot fire early: the first send is still waiting for company.
    expect(firstDone).toBe(false);
    await Promise.all([first, lingering.send(topic, [{ key: 'k', value: event(2) }])]);
    await lingering.disconnect();

    const { consumer, records, finished } = collect<WorkerEvent>(kafka, spec, (r) => r.length >= 3);
    await consumer.start();
    await finished;
    await consumer.stop();
    expect(records.map((r) => valueOf(r).worker.job?.title)).toEqual(['T0', 'T1', 'T2']);
  });

  test('a send to a stopped broker fails with a clear error instead of hanging', async () => {
    const cluster = await startKafka();
    const own = createKafkaClient({ brokers: [...cluster.brokers], clientId: 'stopped-broker' });
    const spec = uniqueTopic();
    await ensureTopics(own, { replicationFactor: 1, specs: [spec] });
    const topic = typedTopic(spec, workerEventCodec);
    const producer = new Producer(own, { sendTimeoutMs: 5_000 });
    await producer.send(topic, [{ key: 'k', value: sampleWorkerEvent() }]);

    await cluster.stop();
    const started = Date.now();
    const error = await producer
      .send(topic, [{ key: 'k', value: sampleWorkerEvent() }])
      .catch((e: unknown) => e);

    expect(isTributaryError(error, 'KAFKA_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^send to ${spec.name}: `));
    expect(Date.now() - started).toBeLessThan(30_000);
    await producer.disconnect().catch(() => {});
  });
});
