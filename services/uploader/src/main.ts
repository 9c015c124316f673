import { isTributaryError } from '@tributary/errors';
import { createLogger } from '@tributary/logger';
import { packageVersion, startTelemetry, type Telemetry } from '@tributary/telemetry';
import { loadUploaderConfig, type UploaderConfig } from './config.ts';
import { UploaderService } from './uploader-service.ts';

const log = createLogger({ service: 'uploader' });

let service: UploaderService;
let telemetry: Telemetry;
let config: UploaderConfig;
try {
  config = loadUploaderConfig();
  telemetry = startTelemetry({
    serviceName: 'uploader',
    serviceVersion: packageVersion(new URL('../package.json', import.meta.url)),
    instanceId: config.env.instanceId,
    prometheus: { host: config.env.host, port: config.env.metricsPort },
  });
  service = new UploaderService({ config, log });
} catch (error) {
  // Configuration errors name the variable or key path; nothing else is worth printing.
  log.fatal(
    isTributaryError(error) ? { code: error.code, reason: error.message } : { err: error },
    'cannot start',
  );
  process.exit(78);
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Spans and metrics of the last requests are flushed within the same deadline.
    const deadlineMs = config.env.shutdownDeadlineMs;
    const flushMs = Math.min(2_000, deadlineMs / 5);
    service
      .stop(deadlineMs - flushMs)
      .then(() => telemetry.shutdown(flushMs))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
  });
}

try {
  await service.start();
} catch (error) {
  log.fatal(
    isTributaryError(error) ? { code: error.code, reason: error.message } : { err: error },
    'cannot start',
  );
  await service.stop(5_000).catch(() => {});
  process.exit(1);
}
