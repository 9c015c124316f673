import { runAdapter } from '@tributary/webhook-kit';
import { hiBobAdapter } from './hibob-adapter.ts';

await runAdapter({
  serviceName: 'adapter-hibob',
  adapter: hiBobAdapter,
  defaultPort: 8082,
  defaultMetricsPort: 9462,
  packageJson: new URL('../package.json', import.meta.url),
});
