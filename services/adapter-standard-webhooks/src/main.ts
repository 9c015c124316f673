import { adapterFromEnv } from '@tributary/webhook-kit';
import { standardWebhooksAdapter } from './standard-webhooks-adapter.ts';

const adapter = adapterFromEnv({
  serviceName: 'adapter-standard-webhooks',
  adapter: standardWebhooksAdapter,
  defaultPort: 8084,
});
const { service, log, shutdownDeadlineMs } = adapter;

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    service
      .close(shutdownDeadlineMs)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  });
}

await adapter.start();
