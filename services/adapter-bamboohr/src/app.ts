import {
  createAdapterService,
  type AdapterService,
  type AdapterServiceOptions,
} from '@tributary/webhook-kit';
import { bambooHrAdapter } from './bamboohr-adapter.ts';

export type BambooHrServiceOptions = Omit<
  AdapterServiceOptions<unknown, unknown>,
  'adapter' | 'serviceName'
> & {
  serviceName?: string;
};

/** The adapter-bamboohr process, without signal handling: tests start it on port 0. */
export function createBambooHrService(options: BambooHrServiceOptions): AdapterService {
  return createAdapterService({
    serviceName: 'adapter-bamboohr',
    ...options,
    adapter: bambooHrAdapter as AdapterServiceOptions<unknown, unknown>['adapter'],
  });
}
