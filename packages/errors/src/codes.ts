/**
 * The one catalogue of error codes. A code is stable once published: dashboards, alerts and
 * dead-letter consumers match on it. `retryable` says whether trying the same thing again later
 * can succeed without anyone changing the input or the configuration.
 */
export const errorCodes = {
  // Configuration, at start.
  CONFIG_INVALID: { retryable: false, summary: 'configuration failed validation' },
  CONFIG_UNREADABLE: { retryable: false, summary: 'a configuration or secret file cannot be read' },

  // Canonical worker events and the Kafka codec.
  EVENT_INVALID: { retryable: false, summary: 'a worker event does not match the v1 schema' },
  MESSAGE_UNDECODABLE: { retryable: false, summary: 'a Kafka record is not valid JSON' },
  MESSAGE_INVALID: { retryable: false, summary: 'a Kafka record fails its topic schema' },

  // Kafka transport.
  KAFKA_UNAVAILABLE: { retryable: true, summary: 'the Kafka cluster cannot be reached' },
  KAFKA_SEND_FAILED: { retryable: true, summary: 'the broker did not acknowledge a send' },
  KAFKA_TOPIC_MISCONFIGURED: {
    retryable: false,
    summary: 'a topic exists with settings that differ from the declared ones',
  },

  // Local Kafka brokers for development and tests (@tributary/kafka-broker).
  KAFKA_DISTRIBUTION_UNAVAILABLE: {
    retryable: true,
    summary: 'the Kafka jars could not be fetched from Maven Central',
  },
  KAFKA_BROKER_START_FAILED: {
    retryable: false,
    summary: 'a local Kafka broker did not start or never served requests',
  },
  KAFKA_BROKER_STOP_FAILED: { retryable: false, summary: 'a local Kafka broker JVM did not exit' },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

export type ErrorCode = keyof typeof errorCodes;
