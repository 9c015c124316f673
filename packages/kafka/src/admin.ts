import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import { TributaryError } from '@tributary/errors';
import { topics as catalogue, type TopicSpec } from './topics.ts';

export interface EnsureTopicsOptions {
  /** 3 in production; 1 for a single development broker. */
  replicationFactor: number;
  /** Overrides partition counts, e.g. fewer partitions for tests. */
  partitions?: number;
  specs?: readonly TopicSpec[];
}

/**
 * Creates the declared topics that do not exist and checks that those that do have at least
 * the declared partitions. A topic with fewer partitions than declared would silently limit
 * how far consumers scale, so it is reported rather than ignored.
 */
export async function ensureTopics(kafka: Kafka, options: EnsureTopicsOptions): Promise<string[]> {
  const specs = options.specs ?? Object.values(catalogue);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length > 0) {
      // Another process may create the same topics at the same moment; either way they exist.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => topicConfig(spec, options)),
      });
      await leadersElected(
        admin,
        missing.map((spec) => spec.name),
      );
    }

    const present = specs.filter((spec) => existing.has(spec.name)).map((spec) => spec.name);
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present });
      for (const topic of metadata.topics) {
        const spec = specs.find((candidate) => candidate.name === topic.name)!;
        const wanted = options.partitions ?? spec.partitions;
        if (topic.partitions.length < wanted) {
          throw new TributaryError(
            'KAFKA_TOPIC_MISCONFIGURED',
            `topic ${topic.name} has ${topic.partitions.length} partitions, ${wanted} declared`,
            { details: { topic: topic.name } },
          );
        }
      }
    }
    return missing.map((spec) => spec.name);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of `names` has a leader that serves it. Metadata naming a leader is
 * not enough: the library's own wait gives up when a broker answers that it does not know the
 * topic yet, which a KRaft broker does for a moment after the controller created it, and a
 * broker publishes the new leadership in its metadata a moment before its replica manager takes
 * it up, answering "not the leader" until then. A ListOffsets answer from every partition's
 * leader shows both are done.
 */
async function leadersElected(admin: Admin, names: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const serving = async (): Promise<boolean> => {
    const { topics } = await admin.fetchTopicMetadata({ topics: names });
    const led = topics.every(
      (topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0),
    );
    if (!led) return false;
    await Promise.all(names.map((name) => admin.fetchTopicOffsets(name)));
    return true;
  };
  for (;;) {
    if (await serving().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new TributaryError(
        'KAFKA_UNAVAILABLE',
        `topics created but not served by their leaders after ${timeoutMs} ms: ${names.join(', ')}`,
      );
    }
    await sleep(100);
  }
}

function topicConfig(spec: TopicSpec, options: EnsureTopicsOptions): ITopicConfig {
  const config: Record<string, string> = { ...spec.config };
  // Keep acks=all writable with one replica down, and possible at all on a single broker.
  if (config['min.insync.replicas'] !== undefined) {
    const wanted = Number(config['min.insync.replicas']);
    config['min.insync.replicas'] = String(
      Math.max(1, Math.min(wanted, options.replicationFactor - 1)),
    );
  }
  return {
    topic: spec.name,
    numPartitions: options.partitions ?? spec.partitions,
    replicationFactor: options.replicationFactor,
    configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
  };
}

/** How many partitions a topic has; 0 when it does not exist. */
export async function partitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]?.partitions.length ?? 0;
  } catch {
    return 0;
  } finally {
    await admin.disconnect();
  }
}
