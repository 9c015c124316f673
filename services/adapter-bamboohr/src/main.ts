import { runAdapter } from '@tributary/webhook-kit';
import { bambooHrAdapter } from './bamboohr-adapter.ts';

await runAdapter({
  serviceName: 'adapter-bamboohr',
  adapter: bambooHrAdapter,
  defaultPort: 8081,
  defaultMetricsPort: 9461,
  packageJson: new URL('../package.json', import.meta.url),
});
