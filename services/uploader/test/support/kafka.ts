import { randomUUID } from 'node:crypto';
import {
  Producer,
  TopicTail,
  createKafkaClient,
  deadLetterTopic,
  ensureTopics,
  inNamespace,
  workerEventsTopic,
  type DeadLetter,
  type Kafka,
  type TypedTopic,
} from '@tributary/kafka';
import { workerKey, type WorkerEvent } from '@tributary/worker-event';

export function brokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
}

export function testNamespace(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

/** Publishes worker events into a namespace, as an adapter would. */
export class EventPublisher {
  readonly kafka: Kafka = createKafkaClient({ brokers: brokers(), clientId: 'test-publisher' });
  readonly producer = new Producer(this.kafka);
  readonly topic: TypedTopic<WorkerEvent>;
  readonly namespace: string;

  constructor(namespace: string) {
    this.namespace = namespace;
    this.topic = inNamespace(workerEventsTopic, namespace);
  }

  async prepare(): Promise<void> {
    await ensureTopics(this.kafka, { replicationFactor: 1, specs: [this.topic.spec] });
  }

  async publish(events: WorkerEvent[]): Promise<void> {
    // One worker's events in order; a single send per 200 keeps the test quick.
    for (let i = 0; i < events.length; i += 200) {
      await this.producer.send(
        this.topic,
        events.slice(i, i + 200).map((event) => ({ key: workerKey(event), value: event })),
      );
    }
  }

  /** Bytes that bypass the codec, as a buggy foreign producer would write them. */
  async publishRaw(key: string, value: string): Promise<void> {
    const raw = this.kafka.producer();
    await raw.connect();
    await raw.send({ topic: this.topic.spec.name, messages: [{ key, value }] });
    await raw.disconnect();
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Follows a topic of a namespace from its start, collecting every record's value. */
export async function follow<T>(
  namespace: string,
  topicOf: TypedTopic<T>,
): Promise<{ values: T[]; stop: () => Promise<void> }> {
  const kafka = createKafkaClient({ brokers: brokers(), clientId: 'test-follower' });
  const topic = inNamespace(topicOf, namespace);
  await ensureTopics(kafka, { replicationFactor: 1, specs: [topic.spec] });
  const values: T[] = [];
  const tail = new TopicTail(kafka, {
    topic,
    groupPrefix: 'test-follower',
    apply: (_key, value) => values.push(value),
  });
  await tail.start();
  return { values, stop: () => tail.stop() };
}

/** Follows a namespace's dead-letter topic. */
export async function followDeadLetters(
  namespace: string,
): Promise<{ letters: DeadLetter[]; stop: () => Promise<void> }> {
  const { values, stop } = await follow(namespace, deadLetterTopic);
  return { letters: values, stop };
}

/** Polls `condition` until it holds, failing with `what` after `timeoutMs`. */
export async function eventually(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
