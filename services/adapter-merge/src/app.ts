import {
  createAdapterService,
  type AdapterService,
  type AdapterServiceOptions,
} from '@tributary/webhook-kit';
import { mergeAdapter } from './merge-adapter.ts';

export type MergeServiceOptions = Omit<
  AdapterServiceOptions<unknown, unknown>,
  'adapter' | 'serviceName'
> & {
  serviceName?: string;
};

/** The adapter-merge process, without signal handling: tests start it on port 0. */
export function createMergeService(options: MergeServiceOptions): AdapterService {
  return createAdapterService({
    serviceName: 'adapter-merge',
    ...options,
    adapter: mergeAdapter as AdapterServiceOptions<unknown, unknown>['adapter'],
  });
}
