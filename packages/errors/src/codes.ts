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

  // Mapping canonical worker events to SCIM users (uploader).
  MAPPING_FAILED: {
    retryable: false,
    summary: 'a mapping could not produce a value, e.g. a required attribute is missing',
  },
  SCIM_INVALID: { retryable: false, summary: 'a SCIM payload failed SCIM schema validation' },

  // Kafka transport.
  KAFKA_UNAVAILABLE: { retryable: true, summary: 'the Kafka cluster cannot be reached' },
  KAFKA_SEND_FAILED: { retryable: true, summary: 'the broker did not acknowledge a send' },
  KAFKA_TOPIC_MISCONFIGURED: {
    retryable: false,
    summary: 'a topic exists with settings that differ from the declared ones',
  },

  // Inbound HR webhooks (@tributary/webhook-kit and the adapter services). Each is also the
  // `error.code` of the HTTP answer, so vendors' delivery logs show a stable reason.
  WEBHOOK_CONNECTION_UNKNOWN: { retryable: false, summary: 'no connection with the id in the URL' },
  WEBHOOK_ROUTE_UNKNOWN: { retryable: false, summary: 'no such path or method on the adapter' },
  WEBHOOK_MEDIA_TYPE: { retryable: false, summary: 'the request content type is not accepted' },
  WEBHOOK_TOO_LARGE: { retryable: false, summary: 'the request body exceeds the size limit' },
  WEBHOOK_MALFORMED: { retryable: false, summary: 'the body is not valid JSON or form data' },
  WEBHOOK_SIGNATURE_MISSING: {
    retryable: false,
    summary: 'a signature or timestamp header is absent',
  },
  WEBHOOK_SIGNATURE_INVALID: {
    retryable: false,
    summary: 'no active secret produces the signature',
  },
  WEBHOOK_STALE: {
    retryable: false,
    summary: 'the signed timestamp is outside the freshness window',
  },
  WEBHOOK_PAYLOAD_INVALID: { retryable: false, summary: "the payload fails the vendor's schema" },
  WEBHOOK_NOT_NORMALIZABLE: {
    retryable: false,
    summary: 'the payload cannot become a valid canonical worker event',
  },
  WEBHOOK_INTERNAL: {
    retryable: true,
    summary: 'an unexpected adapter failure; the sender retries',
  },
  HYDRATION_FAILED: { retryable: true, summary: "the vendor's HR API did not return the worker" },
  HYDRATION_REFUSED: {
    retryable: false,
    summary: "the vendor's HR API refused the request (credentials, permissions, unknown worker)",
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

  // Entra emulator (services/entra-emulator): a local stand-in, never part of production paths.
  EMULATOR_STATE_UNREADABLE: {
    retryable: false,
    summary: 'the Entra emulator cannot read its state snapshot file',
  },
  EMULATOR_START_FAILED: {
    retryable: false,
    summary: 'the Entra emulator could not start listening',
  },
} as const satisfies Record<string, { retryable: boolean; summary: string }>;

export type ErrorCode = keyof typeof errorCodes;
