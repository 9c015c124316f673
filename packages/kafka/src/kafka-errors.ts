import { TributaryError } from '@tributary/errors';

const unavailableErrors = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSLockTimeout',
]);

/**
 * Maps a client-library error onto Tributary's codes. Whether the cluster is unreachable or
 * refused the write matters to callers: the first is worth a 503 and a retry later.
 */
export function toTributaryError(error: unknown, what: string): TributaryError {
  if (error instanceof TributaryError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const reason = error instanceof Error ? error.message : String(error);
  if (unavailableErrors.has(name)) {
    return new TributaryError('KAFKA_UNAVAILABLE', `${what}: Kafka unavailable (${reason})`, {
      cause: error,
    });
  }
  return new TributaryError('KAFKA_SEND_FAILED', `${what}: ${reason}`, { cause: error });
}
