import type { KafkaCluster } from '@tributary/kafka-broker';

// Jest runs the global setup and teardown in one process but not one module registry, so the
// broker handle passes between them on globalThis.
const key = Symbol.for('tributary.test.kafka');

type Holder = { [key]?: KafkaCluster };

export function keepKafka(kafka: KafkaCluster): void {
  (globalThis as Holder)[key] = kafka;
}

export function takeKafka(): KafkaCluster | undefined {
  const holder = globalThis as Holder;
  const kafka = holder[key];
  delete holder[key];
  return kafka;
}
