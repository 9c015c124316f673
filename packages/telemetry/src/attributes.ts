/**
 * Tributary's own span attributes. Values are ids from configuration, counts and codes: never a
 * worker's personal data. Where a worker must be correlated, `tributary.worker.ref` carries the
 * keyed hash from `@tributary/logger`'s `workerRef`.
 */
export const attributes = {
  job: 'tributary.job',
  tenant: 'tributary.tenant',
  bulkOperations: 'tributary.bulk.operations',
  bulkAttempt: 'tributary.bulk.attempt',
  bulkOutcome: 'tributary.bulk.outcome',
  recordOutcome: 'tributary.record.outcome',
  workerRef: 'tributary.worker.ref',
  errorCode: 'tributary.error.code',
  tokenFresh: 'tributary.token.fresh',
} as const;
