import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { TributaryError } from '@tributary/errors';
import { findFreePorts, startKafka, type KafkaCluster } from '@tributary/kafka-broker';

import { kafkaClient } from './support/kafka-client.ts';
import { isProcessAlive, waitFor } from './support/wait-for.ts';

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

describe('startKafka, one node', () => {
  let kafka: KafkaCluster;

  beforeAll(async () => {
    kafka = await startKafka();
  }, 120_000);

  afterAll(async () => {
    await kafka?.stop();
  });

  test('serves a produce and a consume on 127.0.0.1', async () => {
    expect(kafka.brokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
    const client = kafkaClient(kafka.brokers);
    const admin = client.admin();
    const producer = client.producer();
    const consumer = client.consumer({ groupId: 'start-kafka-test' });

    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'greetings', numPartitions: 2 }] });
      await producer.connect();
      await producer.send({ topic: 'greetings', messages: [{ key: 'k', value: 'hello' }] });

      await consumer.connect();
      await consumer.subscribe({ topic: 'greetings', fromBeginning: true });
      const received = new Promise<string>((resolve) => {
        void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
      });

      await expect(received).resolves.toBe('hello');
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  test('does not create a topic on first use', async () => {
    const client = kafkaClient(kafka.brokers);
    const producer = client.producer();
    const admin = client.admin();

    try {
      await producer.connect();
      await expect(
        producer.send({ topic: 'never-declared', messages: [{ value: 'x' }] }),
      ).rejects.toThrow(/does not host this topic-partition|not exist|unknown topic/i);

      await admin.connect();
      expect(await admin.listTopics()).not.toContain('never-declared');
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});

describe('startKafka, lifecycle', () => {
  test('stop ends the JVM and deletes the temporary data', async () => {
    const kafka = await startKafka();
    const pid = kafka.nodes[0]?.pid;
    expect(pid).toEqual(expect.any(Number));
    expect(isProcessAlive(pid as number)).toBe(true);

    await kafka.stop();

    expect(isProcessAlive(pid as number)).toBe(false);
    expect(kafka.nodes[0]?.running).toBe(false);
    expect(await exists(kafka.dataDir)).toBe(false);
    await kafka.stop(); // idempotent
  }, 120_000);

  test('a persistent data directory keeps the cluster, its ports and its records', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kafka-broker-test-'));
    try {
      const first = await startKafka({ dataDir });
      const client = kafkaClient(first.brokers);
      const admin = client.admin();
      const producer = client.producer();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'kept' }] });
      await producer.connect();
      await producer.send({ topic: 'kept', messages: [{ value: 'still here' }] });
      await producer.disconnect();
      await admin.disconnect();
      await first.stop();
      expect(await exists(join(dataDir, 'cluster.json'))).toBe(true);

      const second = await startKafka({ dataDir });
      try {
        expect(second.clusterId).toBe(first.clusterId);
        expect(second.brokers).toEqual(first.brokers);
        const offsets = await waitFor('the kept topic', async () => {
          const secondAdmin = kafkaClient(second.brokers).admin();
          await secondAdmin.connect();
          try {
            return await secondAdmin.fetchTopicOffsets('kept');
          } catch {
            return undefined;
          } finally {
            await secondAdmin.disconnect();
          }
        });
        expect(offsets).toEqual([expect.objectContaining({ partition: 0, high: '1' })]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  test('a broker that cannot start fails with the reason from its log', async () => {
    const [brokerPort, controllerPort] = await findFreePorts(2);
    // Holds the broker port and, like any stranger, never answers a Kafka request.
    const sockets = new Set<Socket>();
    const squatter = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => squatter.listen(brokerPort, '127.0.0.1', resolve));

    try {
      const failure = startKafka({
        ports: [{ broker: brokerPort as number, controller: controllerPort as number }],
      });

      await expect(failure).rejects.toMatchObject({ code: 'KAFKA_BROKER_START_FAILED' });
      await expect(failure).rejects.toThrow(/JVM exited[\s\S]*server\.log[\s\S]*bind/);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  }, 120_000);

  test('a bad setting fails before the broker starts, naming the setting', async () => {
    const failure = startKafka({ serverProperties: { 'num.network.threads': 'many' } });

    await expect(failure).rejects.toThrow(/num\.network\.threads/);
    await expect(failure).rejects.toBeInstanceOf(TributaryError);
    await expect(failure).rejects.toMatchObject({ code: 'KAFKA_BROKER_START_FAILED' });
  }, 120_000);
});
