import { randomUUID } from 'node:crypto';
import {
  createKafkaClient,
  ensureTopics,
  topics,
  type Kafka,
  type TopicSpec,
  type TypedTopic,
} from '@tributary/kafka';
import { startKafka, type KafkaCluster } from '@tributary/kafka-broker';
import type { AdapterService } from './runtime/adapter-service.ts';

export interface TestTopics {
  workerEvents: TopicSpec;
  rawDeliveries: TopicSpec;
  deadLetter: TopicSpec;
}

/**
 * Fresh copies of the adapter topics for one test, so tests sharing a broker never read each
 * other's records and a topic's record count is exactly what that test produced.
 */
export async function createTestTopics(kafka: Kafka, label: string): Promise<TestTopics> {
  const suffix = `${label}.${randomUUID().slice(0, 8)}`;
  const rename = (spec: TopicSpec): TopicSpec => ({ ...spec, name: `${spec.name}.${suffix}` });
  const created = {
    workerEvents: rename(topics.workerEvents),
    rawDeliveries: rename(topics.rawDeliveries),
    deadLetter: rename(topics.deadLetter),
  };
  await ensureTopics(kafka, {
    replicationFactor: 1,
    partitions: 3,
    specs: Object.values(created),
  });
  return created;
}

/** How many records a topic holds: acknowledged sends are counted the moment they return. */
export async function countRecords(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce(
      (sum, partition) => sum + Number(partition.high) - Number(partition.low),
      0,
    );
  } finally {
    await admin.disconnect();
  }
}

/** Reads a topic from the beginning until `count` records arrived, with their keys. */
export async function readRecords<T>(
  kafka: Kafka,
  topic: TypedTopic<T>,
  count: number,
  timeoutMs = 30_000,
): Promise<{ key: string | null; value: T }[]> {
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const records: { key: string | null; value: T }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: topic.spec.name, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${records.length} of ${count} records within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          records.push({
            key: message.key?.toString() ?? null,
            value: topic.codec.decode(message.value),
          });
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** How many records of `topic` the group has not committed yet (all of them before a commit). */
export async function uncommittedRecords(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return ends.reduce((sum, { partition, high, low }) => {
      const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return sum + Number(high) - Math.max(Number(low), Number(offset));
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What an outage test needs of a broker; `@tributary/kafka-broker`'s `KafkaCluster` has it. */
export interface StoppableBroker {
  readonly nodes: readonly { readonly nodeId: number }[];
  stopBroker(nodeId: number): Promise<void>;
  startBroker(nodeId: number): Promise<void>;
}

export interface WebhookAnswer {
  status: number;
  retryAfter: string | null;
  body: { status?: string; error?: { code: string; message: string } };
}

export interface OutageReport {
  readyBefore: number;
  /** The delivery's answer while every broker was down. */
  whileDown: WebhookAnswer;
  readyWhileDown: number;
  /** The answer to the sender's retries once the brokers were back: the first that was not 503. */
  afterwards: WebhookAnswer;
  retries: number;
}

/**
 * The outage every adapter must survive: one delivery sent while Kafka is stopped, then sent
 * again, as every vendor does after a 503, once Kafka is back, until it is not refused. The
 * answers are returned for the test to judge; whether the record reached Kafka is the test's
 * to read.
 */
export async function deliverAcrossOutage(options: {
  broker: StoppableBroker;
  baseUrl: string;
  delivery: { path: string; headers: Record<string, string>; body: string };
  retryForMs?: number;
}): Promise<OutageReport> {
  const { broker, baseUrl, delivery } = options;
  const ready = async () => (await fetch(`${baseUrl}/readyz`)).status;
  const deliver = async (): Promise<WebhookAnswer> => {
    const response = await fetch(`${baseUrl}${delivery.path}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as WebhookAnswer['body'],
    };
  };

  const readyBefore = await ready();
  for (const node of broker.nodes) await broker.stopBroker(node.nodeId);
  const whileDown = await deliver();
  const readyWhileDown = await ready();
  for (const node of broker.nodes) await broker.startBroker(node.nodeId);

  let afterwards = await deliver();
  let retries = 0;
  const deadline = Date.now() + (options.retryForMs ?? 60_000);
  while (afterwards.status === 503 && Date.now() < deadline) {
    retries++;
    afterwards = await deliver();
  }
  return { readyBefore, whileDown, readyWhileDown, afterwards, retries };
}

/** A broker, topics and an adapter service of one test's own, for tests that stop the broker. */
export interface OutageRig {
  readonly cluster: KafkaCluster;
  readonly kafka: Kafka;
  readonly topics: TestTopics;
  readonly baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts a broker of the test's own (stopping a shared one would break every suite on it), fresh
 * topics on it, and the service that `create` builds, listening on a free port.
 */
export async function startOutageRig(
  label: string,
  create: (kafka: Kafka, topics: TestTopics) => AdapterService,
): Promise<OutageRig> {
  const cluster = await startKafka();
  const kafka = createKafkaClient({
    clientId: label,
    brokers: [...cluster.brokers],
    connectionTimeoutMs: 1_000,
  });
  const topics = await createTestTopics(kafka, label);
  const service = create(kafka, topics);
  const { port } = await service.start({ port: 0 });
  return {
    cluster,
    kafka,
    topics,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await service.close(2_000).catch(() => {});
      await cluster.stop();
    },
  };
}
