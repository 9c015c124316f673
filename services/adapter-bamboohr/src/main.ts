import { startAdapterFromEnv } from '@tributary/webhook-kit';
import { bambooHrAdapter } from './bamboohr-adapter.ts';

const { service, log, shutdownDeadlineMs } = await startAdapterFromEnv({
  serviceName: 'adapter-bamboohr',
  adapter: bambooHrAdapter,
  defaultPort: 8081,
});

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
