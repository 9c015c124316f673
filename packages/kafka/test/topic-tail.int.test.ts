import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  Producer,
  TopicTail,
  createKafkaClient,
  ensureTopics,
  jsonCodec,
  topics,
  typedTopic,
  type Kafka,
  type TypedTopic,
} from '@tributary/kafka';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);

interface Entry {
  n: number;
  padding: string;
}

const entryCodec = jsonCodec<Entry>('test entry', (value) =>
  typeof (value as Entry | null)?.n === 'number'
    ? { ok: true, value: value as Entry }
    : { ok: false, reason: 'no n' },
);

function compactedTopic(): TypedTopic<Entry> {
  return typedTopic(
    {
      ...topics.uploaderState,
      name: `test.tail.${randomUUID()}`,
      partitions: 3,
      config: { 'cleanup.policy': 'compact' },
    },
    entryCodec,
  );
}

describe('TopicTail against a real broker', () => {
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(() => {
    kafka = createKafkaClient({ brokers, clientId: 'test-topic-tail' });
    producer = new Producer(kafka);
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  test('reads a topic many fetches long to its end, in order per key, then follows it', async () => {
    const topic = compactedTopic();
    await ensureTopics(kafka, { replicationFactor: 1, specs: [topic.spec] });

    // 3,000 records of about 1 kB, twice per key: each partition holds several times the 16 kB
    // a fetch may bring, so start() only returns after many fetches.
    const padding = 'x'.repeat(1_000);
    for (let round = 0; round < 2; round++) {
      const records = Array.from({ length: 1_500 }, (_, i) => ({
        key: `k${i}`,
        value: { n: round * 1_500 + i, padding },
      }));
      await producer.send(topic, records);
    }

    const latest = new Map<string, number>();
    let applied = 0;
    const tail = new TopicTail(kafka, {
      topic,
      groupPrefix: 'test-tail',
      maxBytesPerFetch: 16 * 1024,
      apply: (key, value) => {
        applied++;
        latest.set(key!, value.n);
      },
    });
    await tail.start();
    try {
      expect(applied).toBe(3_000);
      expect(latest.size).toBe(1_500);
      // The second write of each key came later in its partition, so it is the one kept.
      expect([...latest.entries()].every(([key, n]) => n === 1_500 + Number(key.slice(1)))).toBe(
        true,
      );

      await producer.send(topic, [{ key: 'k7', value: { n: -7, padding: '' } }]);
      await tail.caughtUp();
      expect(latest.get('k7')).toBe(-7);
      expect(applied).toBe(3_001);
    } finally {
      await tail.stop();
    }
  });

  test('passes over the records its headers say to, undecoded, and still counts them read', async () => {
    const topic = compactedTopic();
    await ensureTopics(kafka, { replicationFactor: 1, specs: [topic.spec] });
    const mine = { writer: 'me' };
    await producer.send(topic, [
      { key: 'a', value: { n: 1, padding: '' }, headers: mine },
      { key: 'b', value: { n: 2, padding: '' }, headers: { writer: 'other' } },
      { key: 'c', value: { n: 3, padding: '' } },
    ]);
    // Undecodable: were it decoded, it would be reported.
    await producer.send(typedTopic(topic.spec, { ...entryCodec, encode: () => Buffer.from('{') }), [
      { key: 'd', value: { n: 4, padding: '' }, headers: mine },
    ]);

    const applied: string[] = [];
    const invalid: string[] = [];
    const tail = new TopicTail(kafka, {
      topic,
      groupPrefix: 'test-tail',
      passOver: (headers) => headers.writer?.toString() === 'me',
      apply: (key) => applied.push(key!),
      onInvalid: (error) => invalid.push(error.code),
    });
    await tail.start();
    try {
      expect(applied.sort()).toEqual(['b', 'c']);
      expect(invalid).toEqual([]);
      // Passed-over records count as read: the tail is caught up past them.
      await producer.send(topic, [{ key: 'e', value: { n: 5, padding: '' }, headers: mine }]);
      await tail.caughtUp();
      expect(applied.sort()).toEqual(['b', 'c']);
    } finally {
      await tail.stop();
    }
  });
});
