import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { getBooleanFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import {
  defaultResource,
  envDetector,
  hostDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { rebindGauges } from './instruments.ts';
import { instrumentations } from './instrumentations.ts';

export interface TelemetryOptions {
  serviceName: string;
  serviceVersion: string;
  /** Tells replicas apart: the uploader's INSTANCE_ID, a pod name, a host name. */
  instanceId: string;
  /** Serve `/metrics` for Prometheus here. Loopback only; port 0 is not allowed (9464 is taken instead). */
  prometheus?: { host?: string; port: number };
}

export interface Telemetry {
  /** False when `OTEL_SDK_DISABLED=true`: spans and metrics stay no-ops. */
  readonly enabled: boolean;
  /** Flushes spans and metrics and stops the exporters, giving up after `deadlineMs`. */
  shutdown(deadlineMs: number): Promise<void>;
}

const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';

/**
 * Starts the OpenTelemetry SDK for one service process. Exporters, protocols, endpoints,
 * sampling and batching come from the standard `OTEL_*` variables, read by the SDK itself
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_TRACES_EXPORTER=none`, `OTEL_METRICS_EXPORTER`, ...).
 * The Prometheus endpoint is added to whatever `OTEL_METRICS_EXPORTER` lists, so operators can
 * scrape even with OTLP metrics off. Call it first in `main.ts`, before building the service.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) {
    return { enabled: false, shutdown: () => Promise.resolve() };
  }

  const restoreEnv = options.prometheus ? withPrometheusReader(options.prometheus) : () => {};
  let sdk: NodeSDK;
  try {
    sdk = new NodeSDK({
      resource: defaultResource().merge(
        resourceFromAttributes({
          [ATTR_SERVICE_NAME]: options.serviceName,
          [ATTR_SERVICE_VERSION]: options.serviceVersion,
          [ATTR_SERVICE_INSTANCE_ID]: options.instanceId,
        }),
      ),
      // The process detector would add the OS user and the command line; env and host are enough.
      ...(getStringFromEnv('OTEL_NODE_RESOURCE_DETECTORS') === undefined
        ? { resourceDetectors: [envDetector, hostDetector] }
        : {}),
      contextManager: new AsyncLocalStorageContextManager(),
      instrumentations: instrumentations(),
      // Logs go to stdout through pino; nothing uses the OpenTelemetry logs API.
      logRecordProcessors: [],
    });
  } finally {
    restoreEnv();
  }
  sdk.start();
  rebindGauges();

  let stopped: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown(deadlineMs) {
      stopped ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, deadlineMs));
        });
        await Promise.race([sdk.shutdown().catch(() => {}), deadline]);
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}

/**
 * The SDK builds its metric readers from `OTEL_METRICS_EXPORTER` and the Prometheus exporter's
 * own variables; setting them for the constructor keeps all the SDK's env handling intact.
 * `none` then means "no pushed metrics", not "no scrape endpoint".
 */
function withPrometheusReader(prometheus: { host?: string; port: number }): () => void {
  const names = [
    'OTEL_METRICS_EXPORTER',
    'OTEL_EXPORTER_PROMETHEUS_HOST',
    'OTEL_EXPORTER_PROMETHEUS_PORT',
  ];
  const saved = names.map((name) => [name, process.env[name]] as const);
  const listed = getStringListFromEnv('OTEL_METRICS_EXPORTER') ?? ['otlp'];
  const pushed = listed.filter((name) => name !== 'none' && name !== 'prometheus');
  process.env.OTEL_METRICS_EXPORTER = [...pushed, 'prometheus'].join(',');
  process.env.OTEL_EXPORTER_PROMETHEUS_HOST = prometheus.host ?? '127.0.0.1';
  process.env.OTEL_EXPORTER_PROMETHEUS_PORT = String(prometheus.port);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
