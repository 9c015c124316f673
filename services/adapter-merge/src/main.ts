import { runAdapter } from '@tributary/webhook-kit';
import { mergeAdapter } from './merge-adapter.ts';

await runAdapter({
  serviceName: 'adapter-merge',
  adapter: mergeAdapter,
  defaultPort: 8083,
  defaultMetricsPort: 9463,
  packageJson: new URL('../package.json', import.meta.url),
});
