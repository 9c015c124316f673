import { TributaryError } from '@tributary/errors';
import type { WorkerEvent } from '@tributary/worker-event';
import type { DeliveryMeta, SourceAdapter } from '../source-adapter.ts';

/**
 * Runs an adapter's normalizer. The events are validated against the v1 schema once, by the
 * worker-events codec as the producer encodes them: an invalid event fails there with
 * `MESSAGE_INVALID` and its paths, before anything reaches the broker (a second validation here
 * cost a tenth of the adapter's CPU under load).
 */
export function normalizeDelivery<P, C>(
  adapter: SourceAdapter<P, C>,
  payload: P,
  delivery: DeliveryMeta,
  context: C,
): Promise<WorkerEvent[]> {
  return adapter.normalize(payload, delivery, context);
}

/** Failures of the vendor API, which a later hydration attempt may not repeat. */
export function isHydrationFailure(error: unknown): boolean {
  return (
    error instanceof TributaryError &&
    (error.code === 'HYDRATION_FAILED' || error.code === 'HYDRATION_REFUSED')
  );
}
