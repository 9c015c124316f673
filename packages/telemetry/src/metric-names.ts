/**
 * Every metric Tributary exports, in one place: code records them by these names, and the
 * dashboard and alert rules under `deploy/` are checked against `prometheusName` of each.
 *
 * Labels are closed sets: connection, job and tenant keys come from configuration, codes and
 * reasons from fixed catalogues, partitions from the topic's partition count. Never a worker id,
 * a request id or anything a sender chooses.
 */
export interface MetricSpec {
  /** The OpenTelemetry instrument name. */
  readonly name: string;
  readonly kind: 'counter' | 'histogram' | 'gauge';
  readonly unit: string;
  readonly description: string;
  readonly labels: readonly string[];
}

export const metricSpecs = {
  webhooksReceived: {
    name: 'tributary.webhooks.received',
    kind: 'counter',
    unit: '{delivery}',
    description: 'Webhook deliveries received, before any check',
    labels: ['source', 'connection'],
  },
  webhooksAccepted: {
    name: 'tributary.webhooks.accepted',
    kind: 'counter',
    unit: '{delivery}',
    description: 'Webhook deliveries acknowledged, by what was done with them',
    labels: ['source', 'connection', 'outcome'],
  },
  webhooksRefused: {
    name: 'tributary.webhooks.refused',
    kind: 'counter',
    unit: '{delivery}',
    description: 'Webhook deliveries refused, by reason',
    labels: ['source', 'connection', 'reason', 'status'],
  },
  produceDuration: {
    name: 'tributary.kafka.produce.duration',
    kind: 'histogram',
    unit: 's',
    description: 'Time from send to the acknowledgement of every in-sync replica',
    labels: ['topic', 'outcome'],
  },
  consumerLag: {
    name: 'tributary.kafka.consumer.lag',
    kind: 'gauge',
    unit: '{record}',
    description: 'Records behind the high watermark, per partition this member owns',
    labels: ['topic', 'group', 'partition'],
  },
  consumerBatchRecords: {
    name: 'tributary.kafka.consumer.batch.records',
    kind: 'histogram',
    unit: '{record}',
    description: 'Records per fetched partition batch',
    labels: ['topic'],
  },
  bulkBatchOperations: {
    name: 'tributary.bulk.batch.operations',
    kind: 'histogram',
    unit: '{operation}',
    description: 'Operations per bulkUpload request',
    labels: ['job'],
  },
  bulkRequests: {
    name: 'tributary.bulk.requests',
    kind: 'counter',
    unit: '{request}',
    description: 'bulkUpload requests, by HTTP status (0: no answer) and outcome',
    labels: ['job', 'status', 'outcome'],
  },
  bulkThrottled: {
    name: 'tributary.bulk.throttled',
    kind: 'counter',
    unit: '{request}',
    description: 'bulkUpload requests answered 429',
    labels: ['job'],
  },
  bulkRetries: {
    name: 'tributary.bulk.retries',
    kind: 'counter',
    unit: '{request}',
    description: 'bulkUpload requests sent again after a retryable answer',
    labels: ['job', 'status'],
  },
  recordsUploaded: {
    name: 'tributary.records.uploaded',
    kind: 'counter',
    unit: '{record}',
    description: 'Worker operations accepted by Entra (202)',
    labels: ['job'],
  },
  recordsUnchanged: {
    name: 'tributary.records.unchanged',
    kind: 'counter',
    unit: '{record}',
    description: 'Worker operations skipped because Entra already has the same payload',
    labels: ['job'],
  },
  recordsDeadLettered: {
    name: 'tributary.records.dead_lettered',
    kind: 'counter',
    unit: '{record}',
    description: 'Records written to the dead-letter topic, by error code',
    labels: ['code'],
  },
  managersUnresolved: {
    name: 'tributary.managers.unresolved',
    kind: 'gauge',
    unit: '{worker}',
    description: 'Reports waiting for a manager Entra cannot resolve yet',
    labels: ['job'],
  },
  quotaUsed: {
    name: 'tributary.quota.used',
    kind: 'gauge',
    unit: '{request}',
    description: "Calls counted against the tenant's daily bulkUpload quota",
    labels: ['tenant'],
  },
  quotaRemaining: {
    name: 'tributary.quota.remaining',
    kind: 'gauge',
    unit: '{request}',
    description: "Calls left in the tenant's daily bulkUpload quota",
    labels: ['tenant'],
  },
  tokenFailures: {
    name: 'tributary.token.failures',
    kind: 'counter',
    unit: '{failure}',
    description: 'Failed token requests, by error type',
    labels: ['tenant', 'error_type'],
  },
  provisioningOutcomes: {
    name: 'tributary.provisioning.outcomes',
    kind: 'counter',
    unit: '{record}',
    description: 'Provisioning log entries read back from Entra, by action and status',
    labels: ['job', 'action', 'status'],
  },
  provisioningLogReads: {
    name: 'tributary.provisioning.log_reads',
    kind: 'counter',
    unit: '{request}',
    description: 'Provisioning log pages requested, by outcome',
    labels: ['job', 'outcome'],
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricKey = keyof typeof metricSpecs;

/**
 * The series name the Prometheus exporter gives a metric: dots become underscores and counters
 * get `_total`; histograms add `_bucket`, `_sum` and `_count` to it. Units are not appended.
 */
export function prometheusName(spec: MetricSpec): string {
  const base = spec.name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return spec.kind === 'counter' ? `${base}_total` : base;
}

/** Every series name a scrape may show for the metric. */
export function prometheusSeries(spec: MetricSpec): string[] {
  const name = prometheusName(spec);
  return spec.kind === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}
