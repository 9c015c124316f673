import { isTributaryError } from '@tributary/errors';
import { createLogger } from '@tributary/logger';
import { packageVersion, startTelemetry } from '@tributary/telemetry';
import type { SourceAdapter } from '../source-adapter.ts';
import { adapterFromEnv } from './start-from-env.ts';

export interface RunAdapterOptions<P, C> {
  serviceName: string;
  adapter: SourceAdapter<P, C>;
  defaultPort: number;
  defaultMetricsPort: number;
  /** The service's package.json, for `service.version`. */
  packageJson: URL;
}

/**
 * An adapter service's whole `main`: configuration, telemetry, signal handling and start. For
 * entry points only, since it owns the process: it installs the SIGINT and SIGTERM handlers and
 * exits when the service has stopped (78 when the configuration is unusable).
 */
export async function runAdapter<P, C>(options: RunAdapterOptions<P, C>): Promise<void> {
  let adapter: ReturnType<typeof adapterFromEnv<P, C>>;
  try {
    adapter = adapterFromEnv(options);
  } catch (error) {
    const log = createLogger({ service: options.serviceName });
    // Configuration errors name the variable or key path; nothing else is worth printing.
    log.fatal(
      isTributaryError(error) ? { code: error.code, reason: error.message } : { err: error },
      'cannot start',
    );
    process.exit(78);
  }

  const { service, log, shutdownDeadlineMs } = adapter;
  const telemetry = startTelemetry({
    serviceName: options.serviceName,
    serviceVersion: packageVersion(options.packageJson),
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
}
