import {
  createAdapterService,
  type AdapterService,
  type AdapterServiceOptions,
} from '@tributary/webhook-kit';
import { standardWebhooksAdapter } from './standard-webhooks-adapter.ts';

export type StandardWebhooksServiceOptions = Omit<
  AdapterServiceOptions<unknown, unknown>,
  'adapter' | 'serviceName'
> & { serviceName?: string };

/** The adapter-standard-webhooks process, without signal handling: tests start it on port 0. */
export function createStandardWebhooksService(
  options: StandardWebhooksServiceOptions,
): AdapterService {
  return createAdapterService({
    serviceName: 'adapter-standard-webhooks',
    ...options,
    adapter: standardWebhooksAdapter as AdapterServiceOptions<unknown, unknown>['adapter'],
  });
}
