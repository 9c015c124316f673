import { hostname } from 'node:os';
import { readEnv, setting } from '@tributary/config';
import { createKafkaClient } from '@tributary/kafka';
import { createLogger, type Logger } from '@tributary/logger';
import { loadConnections } from '../connections/load-connections.ts';
import type { SourceAdapter } from '../source-adapter.ts';
import { createAdapterService, type AdapterService } from './adapter-service.ts';
import { loggingHydrationEvents, loggingObserver } from './logging-observer.ts';
import { combineObservers, metricsObserver } from './metrics-observer.ts';

export interface ConfiguredAdapter {
  service: AdapterService;
  log: Logger;
  shutdownDeadlineMs: number;
  /** For `startTelemetry`: INSTANCE_ID (the host name) and METRICS_PORT on 127.0.0.1. */
  telemetry: { instanceId: string; prometheus: { host: string; port: number } };
  /** Listens on PORT/HOST and starts the hydration worker. */
  start(): Promise<void>;
}

/**
 * The common set-up of an adapter process: typed environment, validated connections file, Kafka
 * client, listening server, hydration worker. Signal handling stays with the caller's entry point,
 * which installs it before calling `start`.
 */
export function adapterFromEnv<P, C>(options: {
  serviceName: string;
  adapter: SourceAdapter<P, C>;
  defaultPort: number;
  /** Where `/metrics` is served unless METRICS_PORT says otherwise; default 9464. */
  defaultMetricsPort?: number;
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}): ConfiguredAdapter {
  const variables = options.env ?? process.env;
  const env = readEnv(
    {
      port: setting({
        env: 'PORT',
        kind: 'integer',
        default: options.defaultPort,
        min: 0,
        max: 65_535,
      }),
      host: setting({ env: 'HOST', kind: 'string', default: '127.0.0.1' }),
      brokers: setting({ env: 'KAFKA_BROKERS', kind: 'list', default: ['127.0.0.1:9092'] }),
      /** Prefix of every topic name, for environments (or test runs) sharing a cluster. */
      topicNamespace: setting({ env: 'TOPIC_NAMESPACE', kind: 'string' }),
      connectionsFile: setting({
        env: 'CONNECTIONS_FILE',
        kind: 'string',
        default: 'config/local.yaml',
      }),
      bodyLimitBytes: setting({
        env: 'BODY_LIMIT_BYTES',
        kind: 'integer',
        default: 1_048_576,
        min: 1_024,
      }),
      shutdownDeadlineMs: setting({
        env: 'SHUTDOWN_DEADLINE_MS',
        kind: 'integer',
        default: 10_000,
        min: 0,
      }),
      metricsPort: setting({
        env: 'METRICS_PORT',
        kind: 'integer',
        default: options.defaultMetricsPort ?? 9464,
        min: 1,
        max: 65_535,
      }),
      instanceId: setting({ env: 'INSTANCE_ID', kind: 'string', default: hostname() }),
    },
    variables,
  );
  const log = createLogger({ service: options.serviceName });
  const { adapter } = options;
  const connections = loadConnections(
    env.connectionsFile!,
    {
      system: adapter.system,
      ...(adapter.optionsSchema ? { optionsSchema: adapter.optionsSchema } : {}),
      ...(adapter.credentialNames ? { credentialNames: adapter.credentialNames } : {}),
      ...(adapter.hydrationDefaults ? { hydrationDefaults: adapter.hydrationDefaults } : {}),
    },
    variables,
  );

  const kafka = createKafkaClient({
    clientId: options.serviceName,
    brokers: env.brokers!,
    log: (level, message, fields) => log[level](fields, message),
  });
  const service = createAdapterService({
    serviceName: options.serviceName,
    adapter,
    connections,
    kafka,
    bodyLimitBytes: env.bodyLimitBytes!,
    ...(env.topicNamespace ? { topicNamespace: env.topicNamespace } : {}),
    observer: combineObservers(loggingObserver(log), metricsObserver()),
    hydrationEvents: loggingHydrationEvents(log) as never,
  });
  return {
    service,
    log,
    shutdownDeadlineMs: env.shutdownDeadlineMs!,
    telemetry: {
      instanceId: env.instanceId!,
      prometheus: { host: '127.0.0.1', port: env.metricsPort! },
    },
    async start() {
      const address = await service.start({ port: env.port!, host: env.host! });
      log.info(
        {
          port: address.port,
          host: env.host,
          connections: connections.length,
          topicNamespace: env.topicNamespace,
        },
        'adapter listening',
      );
    },
  };
}
