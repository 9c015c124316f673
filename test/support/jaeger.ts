import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findFreePorts } from '@tributary/kafka-broker';

const root = resolve(import.meta.dirname, '../..');
/** Where scripts/jaeger.sh caches the binary it builds from tools/jaeger/go.mod. */
export const jaegerBinary = join(root, '.cache/jaeger/bin/jaeger');

/**
 * Builds Jaeger from the Go module proxy once (`scripts/jaeger.sh`); later runs reuse the binary.
 * A first build takes several minutes on two cores, so CI runs `scripts/ci-deps.sh` beforehand.
 */
export function ensureJaeger(): string {
  if (existsSync(jaegerBinary)) return jaegerBinary;
  const built = spawnSync('bash', [join(root, 'scripts/jaeger.sh')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`building Jaeger failed (exit ${built.status})`);
  return jaegerBinary;
}

export interface Jaeger {
  /** OTLP over HTTP, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpEndpoint: string;
  /** The query service's HTTP API (`/api/traces`). */
  queryUrl: string;
  stop(): Promise<void>;
}

/** Jaeger with in-memory storage, OTLP in and the query API out, on free loopback ports. */
export async function startJaeger(): Promise<Jaeger> {
  const binary = ensureJaeger();
  const [otlp, queryHttp, queryGrpc, health] = await findFreePorts(4);
  const dir = mkdtempSync(join(tmpdir(), 'tributary-jaeger-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    jaegerConfig({ otlp: otlp!, queryHttp: queryHttp!, queryGrpc: queryGrpc!, health: health! }),
  );

  const child: ChildProcess = spawn(binary, ['--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const queryUrl = `http://127.0.0.1:${queryHttp}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Jaeger exited at start:\n${output}`);
    const ready = await fetch(`http://127.0.0.1:${health}/status`)
      .then((response) => response.ok)
      .catch(() => false);
    const queryUp =
      ready &&
      (await fetch(`${queryUrl}/api/services`)
        .then((r) => r.ok)
        .catch(() => false));
    if (queryUp) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Jaeger did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    otlpEndpoint: `http://127.0.0.1:${otlp}`,
    queryUrl,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function jaegerConfig(ports: {
  otlp: number;
  queryHttp: number;
  queryGrpc: number;
  health: number;
}) {
  return `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:${ports.health}
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${ports.queryHttp}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpc}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlp}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

/** A span as Jaeger's HTTP API returns it. */
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }[];
  tags: { key: string; type: string; value: unknown }[];
  logs: { fields: { key: string; value: unknown }[] }[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: { key: string; value: unknown }[] }>;
}

/** Every trace Jaeger holds for a service (the test's Jaeger holds only this run). */
export async function tracesOf(jaeger: Jaeger, service: string): Promise<JaegerTrace[]> {
  const url = `${jaeger.queryUrl}/api/traces?service=${encodeURIComponent(service)}&limit=1000&lookback=1h`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for ${url}`);
  const body = (await response.json()) as { data: JaegerTrace[] | null };
  return body.data ?? [];
}

export function tag(span: JaegerSpan, key: string): unknown {
  return span.tags.find((t) => t.key === key)?.value;
}

export function serviceOf(trace: JaegerTrace, span: JaegerSpan): string | undefined {
  return trace.processes[span.processID]?.serviceName;
}
