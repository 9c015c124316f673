import { createHmac, type KeyObject } from 'node:crypto';

/**
 * A stable pseudonym for a worker id, for logs, span attributes and dead-letter summaries: the
 * same worker always maps to the same reference, so an operator can follow one person through the
 * pipeline, but the reference cannot be turned back into the id without the key.
 *
 * A caller that names many workers passes the key as a `KeyObject` (`createSecretKey`): the
 * string form is imported again on every call, which costs more than the hash itself.
 */
export function workerRef(workerKey: string, hashKey: string | KeyObject): string {
  return createHmac('sha256', hashKey).update(workerKey).digest('hex').slice(0, 16);
}
