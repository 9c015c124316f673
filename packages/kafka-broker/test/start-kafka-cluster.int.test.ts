import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startKafka, type KafkaCluster } from '@tributary/kafka-broker';
import type { Admin } from 'kafkajs';

import { kafkaClient } from './support/kafka-client.ts';
import { isProcessAlive, waitFor } from './support/wait-for.ts';

describe('startKafka, three nodes', () => {
  let cluster: KafkaCluster;
  let admin: Admin;

  const inSyncReplicas = async (topic: string): Promise<number[]> => {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return (metadata.topics[0]?.partitions ?? []).map((partition) => partition.isr.length);
  };
  // While brokers come and go, a metadata request can meet one that has not caught up yet.
  const allInSync = async (topic: string): Promise<true | undefined> => {
    const counts = await inSyncReplicas(topic).catch(() => []);
    return counts.length > 0 && counts.every((count) => count === 3) ? true : undefined;
  };

  beforeAll(async () => {
    cluster = await startKafka({ nodes: 3 });
    admin = kafkaClient(cluster.brokers).admin();
    await admin.connect();
  }, 180_000);

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.stop();
  }, 60_000);

  test('has three brokers and takes a topic replicated three times', async () => {
    expect(cluster.nodes.map((node) => node.nodeId)).toEqual([1, 2, 3]);
    expect(new Set(cluster.brokers).size).toBe(3);
    const described = await admin.describeCluster();
    expect(described.brokers.map((broker) => broker.nodeId).sort()).toEqual([1, 2, 3]);

    await admin.createTopics({
      topics: [{ topic: 'replicated', numPartitions: 3, replicationFactor: 3 }],
      waitForLeaders: true,
    });

    // waitForLeaders covers the controller's view; the broker that answers the metadata request
    // may learn of the topic a moment later and says "does not host this topic-partition" until then.
    const metadata = await waitFor("the topic in every broker's metadata", () =>
      admin.fetchTopicMetadata({ topics: ['replicated'] }).catch(() => undefined),
    );
    const replicas = metadata.topics[0]?.partitions.map((partition) => partition.replicas.length);
    expect(replicas).toEqual([3, 3, 3]);
    await waitFor('all replicas in sync', () => allInSync('replicated'));
  });

  test('one broker stops and comes back on the same port with its data', async () => {
    const node = cluster.nodes[1];
    if (node === undefined) throw new Error('no second node');
    const pid = node.pid as number;

    await cluster.stopBroker(node.nodeId);
    expect(node.running).toBe(false);
    expect(isProcessAlive(pid)).toBe(false);

    // The other two keep serving, and the stopped one drops out of every ISR.
    const producer = kafkaClient(cluster.brokers).producer();
    await producer.connect();
    await producer.send({
      topic: 'replicated',
      acks: -1,
      messages: [0, 1, 2].map((partition) => ({ partition, value: 'while one is down' })),
    });
    await producer.disconnect();
    await waitFor('the stopped broker out of every ISR', async () => {
      const counts = await inSyncReplicas('replicated').catch(() => []);
      return counts.length === 3 && counts.every((count) => count === 2) ? true : undefined;
    });

    await cluster.startBroker(node.nodeId);
    expect(node.running).toBe(true);
    expect(node.pid).not.toBe(pid);
    expect(cluster.brokers[1]).toBe(node.address);

    // Back in every ISR means it caught up on the records written while it was down.
    await waitFor('the restarted broker back in sync', () => allInSync('replicated'));
  }, 120_000);

  test('restartBroker does both in one call', async () => {
    const before = cluster.nodes[0]?.pid;
    await cluster.restartBroker(1);
    expect(cluster.nodes[0]?.pid).not.toBe(before);
    const described = await admin.describeCluster();
    expect(described.brokers.map((broker) => broker.nodeId).sort()).toEqual([1, 2, 3]);
  }, 120_000);
});
