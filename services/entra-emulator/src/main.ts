import { readEnv, setting } from '@tributary/config';
import { hostname } from 'node:os';
import { createLogger } from '@tributary/logger';
import { packageVersion, startTelemetry } from '@tributary/telemetry';
import { loadEmulatorConfig } from './config/load-emulator-config.ts';
import { startEmulator } from './emulator.ts';

const log = createLogger({ service: 'entra-emulator' });

const env = readEnv({
  configFile: setting({
    env: 'ENTRA_EMULATOR_CONFIG',
    kind: 'string',
    default: 'services/entra-emulator/config/local.yaml',
  }),
  shutdownTimeoutMs: setting({
    env: 'SHUTDOWN_TIMEOUT_MS',
    kind: 'integer',
    default: 10_000,
    min: 0,
  }),
  metricsPort: setting({
    env: 'METRICS_PORT',
    kind: 'integer',
    default: 9469,
    min: 1,
    max: 65_535,
  }),
});

// Spans of the stand-in's Graph and token endpoints, so local traces show the Entra side too.
const telemetry = startTelemetry({
  serviceName: 'entra-emulator',
  serviceVersion: packageVersion(new URL('../package.json', import.meta.url)),
  instanceId: hostname(),
  prometheus: { host: '127.0.0.1', port: env.metricsPort! },
});

try {
  const config = loadEmulatorConfig(env.configFile);
  const emulator = await startEmulator(config, {
    onBulkRequest: (record) => log.info(record, 'bulk upload answered'),
    onCycle: (report) => log.info(report, 'provisioning cycle'),
  });
  log.info(
    { graphUrl: emulator.graphUrl, authorityHost: emulator.authorityHost, caFile: emulator.caFile },
    'entra emulator listening',
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'entra emulator stopping');
    const deadline = setTimeout(() => {
      log.error({ shutdownTimeoutMs: env.shutdownTimeoutMs }, 'entra emulator shutdown timed out');
      process.exit(1);
    }, env.shutdownTimeoutMs);
    deadline.unref();
    emulator.stop().then(
      async () => {
        await telemetry.shutdown(1_000);
        log.info({}, 'entra emulator stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'entra emulator stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  log.fatal({ err: error }, 'entra emulator failed to start');
  process.exit(1);
}
