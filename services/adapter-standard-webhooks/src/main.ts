import { runAdapter } from '@tributary/webhook-kit';
import { standardWebhooksAdapter } from './standard-webhooks-adapter.ts';

await runAdapter({
  serviceName: 'adapter-standard-webhooks',
  adapter: standardWebhooksAdapter,
  defaultPort: 8084,
  defaultMetricsPort: 9464,
  packageJson: new URL('../package.json', import.meta.url),
});
