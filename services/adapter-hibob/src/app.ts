import {
  createAdapterService,
  type AdapterService,
  type AdapterServiceOptions,
} from '@tributary/webhook-kit';
import { hiBobAdapter } from './hibob-adapter.ts';

export type HiBobServiceOptions = Omit<
  AdapterServiceOptions<unknown, unknown>,
  'adapter' | 'serviceName'
> & {
  serviceName?: string;
};

/** The adapter-hibob process, without signal handling: tests start it on port 0. */
export function createHiBobService(options: HiBobServiceOptions): AdapterService {
  return createAdapterService({
    serviceName: 'adapter-hibob',
    ...options,
    adapter: hiBobAdapter as AdapterServiceOptions<unknown, unknown>['adapter'],
  });
}
