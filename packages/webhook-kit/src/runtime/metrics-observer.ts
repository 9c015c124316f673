import { count, metricSpecs } from '@tributary/telemetry';
import type { WebhookObserver } from '../http/refusal.ts';

/**
 * Counts deliveries received, accepted and refused. Every label comes from a closed set: the
 * adapter's system, a configured connection id (`unknown` for any other URL), the outcome or
 * refusal reason and its status.
 */
export function metricsObserver(): WebhookObserver {
  return {
    received: ({ system, connectionId }) =>
      count(metricSpecs.webhooksReceived, {
        source: system,
        connection: connectionId ?? 'unknown',
      }),
    accepted: ({ system, connectionId, outcome }) =>
      count(metricSpecs.webhooksAccepted, { source: system, connection: connectionId, outcome }),
    refused: ({ system, connectionId, reason, status }) =>
      count(metricSpecs.webhooksRefused, {
        source: system,
        connection: connectionId ?? 'unknown',
        reason,
        status,
      }),
  };
}

/** Calls every observer's hook in turn. */
export function combineObservers(...observers: WebhookObserver[]): WebhookObserver {
  return {
    received: (event) => observers.forEach((observer) => observer.received?.(event)),
    accepted: (event) => observers.forEach((observer) => observer.accepted?.(event)),
    refused: (event) => observers.forEach((observer) => observer.refused?.(event)),
  };
}
