import { packageVersion, startTelemetry } from '@tributary/telemetry';
import { adapterFromEnv } from '@tributary/webhook-kit';
import { hiBobAdapter } from './hibob-adapter.ts';

const adapter = adapterFromEnv({
  serviceName: 'adapter-hibob',
  adapter: hiBobAdapter,
  defaultPort: 8082,
  defaultMetricsPort: 9462,
});
const { service, log, shutdownDeadlineMs } = adapter;
const telemetry = startTelemetry({
  serviceName: 'adapter-hibob',
  serviceVersion: packageVersion(new URL('../package.json', import.meta.url)),
  ...adapter.telemetry,
});
// Spans and metrics of the last requests are flushed within the same deadline.
const flushMs = Math.min(2_000, shutdownDeadlineMs / 5);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    service
      .close(shutdownDeadlineMs - flushMs)
      .then(() => telemetry.shutdown(flushMs))
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  });
}

await adapter.start();
