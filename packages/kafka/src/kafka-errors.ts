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
  const reason = error instanceof Error ? error.message : String(error);
  if (isUnavailable(error)) {
    return new TributaryError('KAFKA_UNAVAILABLE', `${what}: Kafka unavailable (${reason})`, {
      cause: error,
    });
  }
  return new TributaryError('KAFKA_SEND_FAILED', `${what}: ${reason}`, { cause: error });
}

/**
 * The cluster could not take the request for now: a connection or timeout error, or any error
 * KafkaJS marks retriable (no leader, coordinator loading), found on the error or on what it
 * wraps. Once KafkaJS has spent its own retries on one of those, waiting is still the answer.
 */
function isUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (unavailableErrors.has(error.name)) return true;
  const { retriable, originalError, cause } = error as {
    retriable?: unknown;
    originalError?: unknown;
    cause?: unknown;
  };
  if (error.name.startsWith('KafkaJS') && retriable === true) return true;
  return isUnavailable(originalError, depth + 1) || isUnavailable(cause, depth + 1);
}
