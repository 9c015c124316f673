import { TributaryError } from '@tributary/errors';
import { formatProblems, validateWorkerEvent, type WorkerEvent } from '@tributary/worker-event';
import type { DeliveryMeta, SourceAdapter } from '../source-adapter.ts';

/**
 * Runs an adapter's normalizer and validates what it returns: an event the uploader would refuse
 * is refused here, where the sender can still be told.
 */
export async function normalizeDelivery<P, C>(
  adapter: SourceAdapter<P, C>,
  payload: P,
  delivery: DeliveryMeta,
  context: C,
): Promise<WorkerEvent[]> {
  const events = await adapter.normalize(payload, delivery, context);
  for (const [index, event] of events.entries()) {
    const result = validateWorkerEvent(event);
    if (!result.ok) {
      throw new TributaryError(
        'WEBHOOK_NOT_NORMALIZABLE',
        `event ${index} would be invalid: ${formatProblems(result.problems)}`,
      );
    }
  }
  return events;
}

/** Failures that a later hydration attempt may not repeat. */
export function isHydrationFailure(error: unknown): boolean {
  return (
    error instanceof TributaryError &&
    (error.code === 'HYDRATION_FAILED' || error.code === 'HYDRATION_REFUSED')
  );
}
