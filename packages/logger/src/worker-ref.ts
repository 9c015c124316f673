import { createHmac } from 'node:crypto';

/**
 * A stable pseudonym for a worker id, for logs, span attributes and dead-letter summaries: the
 * same worker always maps to the same reference, so an operator can follow one person through the
 * pipeline, but the reference cannot be turned back into the id without the key.
 */
export function workerRef(workerKey: string, hashKey: string): string {
  return createHmac('sha256', hashKey).update(workerKey).digest('hex').slice(0, 16);
}
