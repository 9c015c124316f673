import { Kafka, logLevel } from 'kafkajs';

/** A kafkajs client that fails fast instead of retrying, so a wrong expectation shows at once. */
export function kafkaClient(brokers: readonly string[]): Kafka {
  return new Kafka({
    clientId: 'kafka-broker-test',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 100 },
  });
}
