import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { startEmulator, type EntraEmulator } from '@tributary/entra-emulator';
import { createKafkaClient, ensureTopics, topics } from '@tributary/kafka';
import { findFreePorts } from '@tributary/kafka-broker';
import { metricSpecs, prometheusSeries } from '@tributary/telemetry';
import {
  serviceOf,
  startJaeger,
  tag,
  tracesOf,
  type Jaeger,
  type JaegerSpan,
  type JaegerTrace,
} from '../support/jaeger.ts';
import { hiredDelivery, personalValues } from '../support/pipeline-fixture.ts';
import { startService, type ServiceProcess } from '../support/service-process.ts';

/*
 * The whole pipeline as deployed: the Standard Webhooks adapter and the uploader run as child
 * processes (`node --import @tributary/telemetry/register src/main.ts`) against the real broker,
 * exporting OTLP to a real Jaeger; the Entra emulator stands in for Microsoft's cloud. One
 * webhook goes through, then the test reads the trace back from Jaeger's HTTP API.
 */

const ids = {
  tenantId: '4e1a7c52-9b3d-4f60-8a2e-6d5c3b1f0a97',
  appId: '2b8f4d16-7c3e-4a59-b1d0-9e6a5c4f3b28',
  appServicePrincipalId: '8d3c6e2a-1f4b-4c7d-9a5e-0b2f7d6c4e13',
  servicePrincipalId: '5a9e2c7f-3d1b-4e8a-b6c4-1f0d9e8a7b62',
  jobId: 'API2AAD.4e1a7c529b3d4f608a2e6d5c3b1f0a97.c3e8a1d4-6b2f-4a9c-9d7e-5f4b3a2c1e06',
  clientSecret: `e2e-${randomUUID()}`,
};
const webhookSecret = `whsec_${randomBytes(32).toString('base64')}`;
const namespace = `e2e-${randomUUID().slice(0, 8)}`;
const workerEventsTopic = `${namespace}.${topics.workerEvents.name}`;

let jaeger: Jaeger;
let emulator: EntraEmulator;
let uploader: ServiceProcess;
let adapter: ServiceProcess;
let dir: string;
let metricsPorts: { adapter: number; uploader: number };
let scraped: { adapter: string; uploader: string };
let pipelineTrace: JaegerTrace;
let allTraces: JaegerTrace[];

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const kindOf = (span: JaegerSpan) => tag(span, 'span.kind');
const parentOf = (span: JaegerSpan) =>
  span.references.find((reference) => reference.refType === 'CHILD_OF')?.spanID;

beforeAll(async () => {
  // Building Jaeger the first time takes minutes; later runs take the cached binary.
  jaeger = await startJaeger();
  emulator = await startEmulator({
    server: { host: '127.0.0.1', port: 0 },
    cycles: { intervalMs: 100 },
    throttling: { enabled: false },
    tenants: [
      {
        id: ids.tenantId,
        defaultDomain: 'contoso.example',
        apps: [
          {
            appId: ids.appId,
            displayName: 'tributary-e2e',
            servicePrincipalId: ids.appServicePrincipalId,
            clientSecrets: [{ value: ids.clientSecret }],
            permissions: ['SynchronizationData-User.Upload.OwnedBy'],
          },
        ],
        servicePrincipals: [
          {
            id: ids.servicePrincipalId,
            appId: '7c4b1e9d-2a6f-4d3c-8e5b-3a2f1d0c9b84',
            displayName: 'API-driven provisioning (e2e)',
            ownerAppIds: [ids.appId],
            jobs: [{ id: ids.jobId, state: 'Active' }],
          },
        ],
      },
    ],
  });

  const brokers = process.env.KAFKA_BROKERS ?? '';
  const kafka = createKafkaClient({ clientId: 'e2e-setup', brokers: brokers.split(',') });
  await ensureTopics(kafka, {
    replicationFactor: 1,
    specs: Object.values(topics).map((spec) => ({ ...spec, name: `${namespace}.${spec.name}` })),
  });

  dir = mkdtempSync(join(tmpdir(), 'tributary-e2e-'));
  const connectionsFile = join(dir, 'connections.json');
  writeFileSync(
    connectionsFile,
    JSON.stringify({
      connections: [
        {
          id: 'contoso-hr',
          system: 'standard-webhooks',
          tenantId: 'contoso',
          secrets: [{ env: 'E2E_WEBHOOK_SECRET' }],
        },
      ],
    }),
  );
  const targetsFile = join(dir, 'targets.json');
  writeFileSync(
    targetsFile,
    JSON.stringify({
      tenants: {
        contoso: {
          tenantId: ids.tenantId,
          authorityHost: emulator.authorityHost,
          graphBaseUrl: emulator.graphUrl,
          apiVersion: 'v1.0',
          caFile: emulator.caFile,
          credential: {
            kind: 'clientSecret',
            clientId: ids.appId,
            secret: { env: 'E2E_CLIENT_SECRET' },
          },
          limits: {
            callsPerWindow: 40,
            windowMs: 5_000,
            dailyQuota: 2_000,
            lowBudgetFraction: 0.1,
          },
        },
      },
      jobs: {
        'contoso-workers': {
          tenant: 'contoso',
          servicePrincipalId: ids.servicePrincipalId,
          jobId: ids.jobId,
          connections: ['contoso-hr'],
          batch: {
            maxOperations: 50,
            lingerMs: 100,
            lowBudgetLingerMs: 60_000,
            maxConcurrentRequests: 4,
          },
        },
      },
    }),
  );

  const [adapterMetrics, uploaderMetrics] = await findFreePorts(2);
  metricsPorts = { adapter: adapterMetrics!, uploader: uploaderMetrics! };
  const common = {
    KAFKA_BROKERS: brokers,
    TOPIC_NAMESPACE: namespace,
    LOG_LEVEL: 'debug',
    TRIBUTARY_HASH_KEY: `e2e-${randomUUID()}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    // Jaeger takes traces only; metrics are read from the Prometheus endpoints.
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    SHUTDOWN_DEADLINE_MS: '10000',
  };

  uploader = startService('uploader', {
    ...common,
    TARGETS_FILE: targetsFile,
    CONSUMER_GROUP: `${namespace}-uploader`,
    INSTANCE_ID: `${namespace}-uploader-1`,
    PORT: '0',
    METRICS_PORT: String(metricsPorts.uploader),
    E2E_CLIENT_SECRET: ids.clientSecret,
  });
  adapter = startService('adapter-standard-webhooks', {
    ...common,
    CONNECTIONS_FILE: connectionsFile,
    INSTANCE_ID: `${namespace}-adapter-1`,
    PORT: '0',
    METRICS_PORT: String(metricsPorts.adapter),
    E2E_WEBHOOK_SECRET: webhookSecret,
  });
  await uploader.waitForLog((entry) => entry.msg === 'partitions assigned', 90_000);
  await uploader.waitForLog((entry) => entry.msg === 'token obtained');
  const listening = await adapter.waitForLog((entry) => entry.msg === 'adapter listening');

  // One hire, signed as a Standard Webhooks sender signs it.
  const body = hiredDelivery();
  const deliveryId = `msg_${randomBytes(12).toString('hex')}`;
  const response = await fetch(`http://127.0.0.1:${String(listening.port)}/webhooks/contoso-hr`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': deliveryId,
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': new Webhook(webhookSecret).sign(deliveryId, new Date(), body),
    },
    body,
  });
  expect(response.status).toBe(200);
  await uploader.waitForLog((entry) => entry.msg === 'bulk upload accepted');

  // The trace is complete once the uploader's bulkUpload span reached Jaeger.
  pipelineTrace = await waitFor('the webhook trace to reach the bulkUpload span', async () => {
    const traces = await tracesOf(jaeger, 'adapter-standard-webhooks');
    return traces.find((trace) =>
      trace.spans.some((span) => span.operationName === 'POST' && tag(span, 'tributary.job')),
    );
  });

  scraped = {
    adapter: await (await fetch(`http://127.0.0.1:${metricsPorts.adapter}/metrics`)).text(),
    uploader: await (await fetch(`http://127.0.0.1:${metricsPorts.uploader}/metrics`)).text(),
  };

  // Stopping flushes what is left; every span of the run is then in Jaeger.
  expect(await adapter.stop()).toBe(0);
  expect(await uploader.stop()).toBe(0);
  allTraces = [
    ...(await tracesOf(jaeger, 'adapter-standard-webhooks')),
    ...(await tracesOf(jaeger, 'uploader')),
  ];
}, 900_000);

afterAll(async () => {
  await adapter?.stop();
  await uploader?.stop();
  await emulator?.stop();
  await jaeger?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('one trace from the webhook to bulkUpload', () => {
  test('webhook span → produce span → record span → bulkUpload span, parent to child', () => {
    const spans = pipelineTrace.spans;
    const byId = new Map(spans.map((span) => [span.spanID, span]));
    const upload = spans.find(
      (span) => span.operationName === 'POST' && tag(span, 'tributary.job'),
    )!;

    // Walk up from the bulkUpload span to the root: every hop is a parent reference.
    const chain: JaegerSpan[] = [];
    for (let span: JaegerSpan | undefined = upload; span; span = byId.get(parentOf(span) ?? '')) {
      chain.unshift(span);
    }
    const server = chain[0]!;
    expect(serviceOf(pipelineTrace, server)).toBe('adapter-standard-webhooks');
    expect(server.operationName).toBe('POST /webhooks/:connectionId');
    expect(kindOf(server)).toBe('server');
    expect(tag(server, 'http.route')).toBe('/webhooks/:connectionId');
    expect(tag(server, 'http.response.status_code')).toBe(200);

    const produce = chain.find((span) => span.operationName === `send ${workerEventsTopic}`)!;
    expect(kindOf(produce)).toBe('producer');
    expect(tag(produce, 'messaging.system')).toBe('kafka');
    expect(serviceOf(pipelineTrace, produce)).toBe('adapter-standard-webhooks');

    const recordSpan = chain[chain.indexOf(upload) - 1]!;
    expect(recordSpan.operationName).toBe(`process ${workerEventsTopic}`);
    expect(kindOf(recordSpan)).toBe('consumer');
    expect(serviceOf(pipelineTrace, recordSpan)).toBe('uploader');
    expect(parentOf(recordSpan)).toBe(produce.spanID);
    expect(tag(recordSpan, 'tributary.record.outcome')).toBe('accepted');
    expect(tag(recordSpan, 'tributary.worker.ref')).toMatch(/^[0-9a-f]{16}$/);

    expect(kindOf(upload)).toBe('client');
    expect(serviceOf(pipelineTrace, upload)).toBe('uploader');
    expect(tag(upload, 'http.request.method')).toBe('POST');
    expect(tag(upload, 'http.response.status_code')).toBe(202);
    expect(String(tag(upload, 'url.full'))).toContain(
      `/servicePrincipals/${ids.servicePrincipalId}/`,
    );
    expect(tag(upload, 'tributary.job')).toBe('contoso-workers');
    expect(tag(upload, 'tributary.bulk.operations')).toBe(1);
    expect(tag(upload, 'tributary.bulk.attempt')).toBe(1);
  });

  test("the uploader's batch span is linked to the producer span it consumed", () => {
    const produce = pipelineTrace.spans.find(
      (span) => span.operationName === `send ${workerEventsTopic}`,
    )!;
    const batches = allTraces
      .flatMap((trace) => trace.spans)
      .filter(
        (span) =>
          span.operationName === `process ${workerEventsTopic}` &&
          tag(span, 'messaging.batch.message_count') !== undefined,
      );
    const linked = batches.filter((span) =>
      span.references.some(
        (reference) =>
          reference.refType === 'FOLLOWS_FROM' &&
          reference.spanID === produce.spanID &&
          reference.traceID === produce.traceID,
      ),
    );
    expect(linked).toHaveLength(1);
    expect(tag(linked[0]!, 'messaging.consumer.group.name')).toBe(`${namespace}-uploader`);
  });

  test('the Prometheus endpoints serve the pipeline metrics', () => {
    const served = (text: string) =>
      new Set(
        text
          .split('\n')
          .filter((line) => line !== '' && !line.startsWith('#'))
          .map((line) => line.split(/[{ ]/)[0]!),
      );
    const adapterSeries = served(scraped.adapter);
    const uploaderSeries = served(scraped.uploader);
    for (const spec of [
      metricSpecs.webhooksReceived,
      metricSpecs.webhooksAccepted,
      metricSpecs.produceDuration,
    ]) {
      for (const name of prometheusSeries(spec)) expect(adapterSeries).toContain(name);
    }
    for (const spec of [
      metricSpecs.consumerLag,
      metricSpecs.consumerBatchRecords,
      metricSpecs.bulkBatchOperations,
      metricSpecs.bulkRequests,
      metricSpecs.recordsUploaded,
      metricSpecs.managersUnresolved,
      metricSpecs.quotaUsed,
      metricSpecs.quotaRemaining,
      metricSpecs.produceDuration,
    ]) {
      for (const name of prometheusSeries(spec)) expect(uploaderSeries).toContain(name);
    }
    expect(scraped.uploader).toMatch(
      /tributary_records_uploaded_total\{[^}]*job="contoso-workers"[^}]*\} 1\b/,
    );
    expect(scraped.uploader).toMatch(/tributary_quota_used\{[^}]*tenant="contoso"[^}]*\} [1-9]/);
  });
});

describe('no personal data in telemetry', () => {
  test('no span, log line or metric of the run holds the fixture person', () => {
    const corpus: { where: string; text: string }[] = [
      ...allTraces.map((trace) => ({
        where: `trace ${trace.traceID}`,
        text: JSON.stringify(trace),
      })),
      ...adapter.lines.map((line) => ({ where: 'adapter log', text: line })),
      ...uploader.lines.map((line) => ({ where: 'uploader log', text: line })),
      { where: 'adapter metrics', text: scraped.adapter },
      { where: 'uploader metrics', text: scraped.uploader },
    ];
    // The scan must have something to scan: the run's spans and logs are all there.
    expect(allTraces.flatMap((trace) => trace.spans).length).toBeGreaterThan(5);
    expect(adapter.lines.length).toBeGreaterThan(0);
    expect(uploader.lines.length).toBeGreaterThan(0);
    expect(hiredDelivery()).toContain(personalValues[0]);

    const leaks = corpus.flatMap(({ where, text }) =>
      personalValues
        .filter((value) => text.toLowerCase().includes(value.toLowerCase()))
        .map((value) => `${where}: "${value}"`),
    );
    expect(leaks).toEqual([]);
  });
});
