import { randomUUID } from 'node:crypto';
import {
  ensureTopics,
  topics,
  type Kafka,
  type TopicSpec,
  type TypedTopic,
} from '@tributary/kafka';

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
