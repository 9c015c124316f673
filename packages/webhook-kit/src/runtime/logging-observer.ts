import type { Logger } from '@tributary/logger';
import type { WebhookObserver } from '../http/refusal.ts';
import type { HydrationWorkerOptions } from './hydration-worker.ts';

/**
 * Log lines for deliveries and hydration: ids, codes and durations only. No header, body or
 * payload value is ever passed here, so nothing personal or secret can reach a log.
 */
export function loggingObserver(log: Logger): WebhookObserver {
  return {
    accepted: (event) => log.debug(event, 'webhook accepted'),
    refused: ({ error, ...event }) => {
      if (event.status >= 500) log.error({ ...event, err: error }, 'webhook refused');
      else log.info(event, 'webhook refused');
    },
  };
}

export function loggingHydrationEvents(
  log: Logger,
): Pick<
  HydrationWorkerOptions<unknown, unknown>,
  'onHydrated' | 'onRetry' | 'onDeadLettered' | 'onJoinFailed'
> {
  return {
    onHydrated: (event) => log.debug(event, 'delivery hydrated'),
    onRetry: (event) => log.warn(event, 'hydration retry'),
    onDeadLettered: (event) => log.error(event, 'delivery dead-lettered'),
    onJoinFailed: (event) => log.warn(event, 'hydration group not joined'),
  };
}
