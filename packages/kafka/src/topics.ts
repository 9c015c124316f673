/**
 * Every topic Tributary uses, with the settings it needs, in one place. Topics are created
 * explicitly at start (`ensureTopics`); auto-creation stays off on the brokers, so a typo in a
 * topic name fails loudly instead of quietly creating a topic nobody reads.
 *
 * Names carry a version suffix: a breaking change to a record's shape is a new topic, migrated
 * to deliberately, never a surprise for a consumer still running the old code.
 */
export interface TopicSpec {
  name: string;
  partitions: number;
  /** Broker-side settings (`cleanup.policy`, `retention.ms`, ...). */
  config: Record<string, string>;
  /** What the records are, for operators reading `kafka-topics --describe`. */
  purpose: string;
}

const day = 24 * 60 * 60 * 1000;

/** Default partition count of the event topics: the most uploader replicas one job can use. */
const eventPartitions = 12;

export const topics = {
  /** Canonical worker events, keyed by worker, produced by the adapters. */
  workerEvents: {
    name: 'tributary.worker-events.v1',
    partitions: eventPartitions,
    // Long enough to replay a week of HR changes after an outage of the uploader or of Entra.
    config: {
      'cleanup.policy': 'delete',
      'retention.ms': String(7 * day),
      'min.insync.replicas': '2',
    },
    purpose: 'canonical worker events (v1 schema), key = connection/employeeId',
  },
  /** Thin deliveries acknowledged before hydration, keyed by worker, consumed by the hydrator. */
  rawDeliveries: {
    name: 'tributary.raw-deliveries.v1',
    partitions: eventPartitions,
    // HR vendors retry for days; the raw delivery must outlive any hydration outage as long.
    config: {
      'cleanup.policy': 'delete',
      'retention.ms': String(7 * day),
      'min.insync.replicas': '2',
    },
    purpose: 'verified vendor deliveries waiting to be hydrated into worker events',
  },
  /** One record per bulk request Entra accepted. */
  uploadResults: {
    name: 'tributary.upload-results.v1',
    partitions: 6,
    config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * day) },
    purpose: 'accepted bulkUpload requests: job, request id, externalIds, attempts, latency',
  },
  /** Records that cannot be delivered, with the original event, the reason and the code. */
  deadLetter: {
    name: 'tributary.dead-letter.v1',
    partitions: 6,
    config: {
      'cleanup.policy': 'delete',
      'retention.ms': String(30 * day),
      'min.insync.replicas': '2',
    },
    purpose: 'undeliverable records with the original event, reason and error code',
  },
  /**
   * Uploader state per job and worker: digest of the last accepted SCIM payload and whether the
   * worker was ever sent (managers resolve only against records the job processed). Compacted,
   * so the latest value per key survives restarts and rebalances indefinitely.
   */
  uploaderState: {
    name: 'tributary.uploader-state.v1',
    partitions: eventPartitions,
    config: {
      'cleanup.policy': 'compact',
      'min.compaction.lag.ms': String(60 * 1000),
      'segment.ms': String(day),
      'min.insync.replicas': '2',
    },
    purpose: 'compacted per-job worker state: last accepted digest, sent flag, awaited manager',
  },
  /** What Entra did with each record, read back from the provisioning logs. */
  provisioningOutcomes: {
    name: 'tributary.provisioning-outcomes.v1',
    partitions: 6,
    config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * day) },
    purpose: 'per-record provisioning outcomes from Entra provisioning logs',
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof topics;
