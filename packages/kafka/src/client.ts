import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type LogEntry } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  /** How long to wait for a broker connection before the attempt counts as failed. */
  connectionTimeoutMs?: number;
  /** How long one request may wait for its answer. */
  requestTimeoutMs?: number;
  /** Receives the client's own diagnostics; dropped when absent. */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, fields: object) => void;
}

const levelNames = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
  [KafkaLogLevel.NOTHING]: 'debug',
} as const;

/**
 * The one place that constructs the Kafka client library. Everything else in Tributary talks to
 * this package's producer, consumer and admin helpers, so replacing KafkaJS (which has had no
 * release since 2023) with a maintained client touches this package alone.
 */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const log = options.log;
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    // Fail a connection attempt series within seconds: callers decide what a failure means
    // (a webhook answers 503, the uploader backs off), so the client must not hide it.
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5_000 },
    logLevel: log ? KafkaLogLevel.WARN : KafkaLogLevel.NOTHING,
    logCreator: () => (entry: LogEntry) => {
      if (!log) return;
      const { message, ...fields } = entry.log;
      // Our producers bound their retries on purpose (see producer.ts); the library warns about
      // it at every start, which tells an operator nothing.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      log(levelNames[entry.level], `kafka: ${message}`, { namespace: entry.namespace, ...fields });
    },
  });
}
