import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startKafka, type KafkaCluster } from '@tributary/kafka-broker';
import { createKafkaClient, typedTopic, workerEventCodec, type Kafka } from '@tributary/kafka';
import { resolveConnections, type AdapterService } from '@tributary/webhook-kit';
import {
  createTestTopics,
  deliverAcrossOutage,
  readRecords,
  type TestTopics,
} from '@tributary/webhook-kit/testing';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { createStandardWebhooksService } from '../src/app.ts';
import { newSecret, signedHeaders } from './fixtures/sign.ts';

// A broker of its own: this test stops it, which would break every other suite sharing one.
let cluster: KafkaCluster;
let kafka: Kafka;
let topics: TestTopics;
let service: AdapterService;
let base: string;
const secret = newSecret();

beforeAll(async () => {
  cluster = await startKafka();
  kafka = createKafkaClient({
    clientId: 'sw-outage',
    brokers: [...cluster.brokers],
    connectionTimeoutMs: 1_000,
  });
  topics = await createTestTopics(kafka, 'sw-outage');
  const connections = resolveConnections(
    [{ id: 'outage', system: 'standard-webhooks', tenantId: 't', secrets: [{ env: 'S' }] }],
    { system: 'standard-webhooks' },
    'test',
    { S: secret },
  );
  service = createStandardWebhooksService({
    connections,
    kafka,
    topics,
    hydrationWorker: false,
    kafkaSendTimeoutMs: 3_000,
  });
  base = `http://127.0.0.1:${(await service.start({ port: 0 })).port}`;
}, 120_000);

afterAll(async () => {
  await service?.close(2_000);
  await cluster?.stop();
}, 60_000);

it('answers 503 with Retry-After while Kafka is down, and publishes the retried delivery after', async () => {
  const body = JSON.stringify({
    type: 'worker.updated',
    timestamp: new Date().toISOString(),
    data: sampleWorkerEvent({ employeeId: 'outage-1' }).worker,
  });
  const outage = await deliverAcrossOutage({
    broker: cluster,
    baseUrl: base,
    delivery: {
      path: '/webhooks/outage',
      headers: signedHeaders(secret, body, { id: 'msg_outage_1' }),
      body,
    },
  });

  expect(outage).toMatchObject({
    readyBefore: 200,
    whileDown: { status: 503, retryAfter: '5', body: { error: { code: 'KAFKA_UNAVAILABLE' } } },
    readyWhileDown: 503,
    afterwards: { status: 200, body: { status: 'published' } },
  });
  const [record] = await readRecords(kafka, typedTopic(topics.workerEvents, workerEventCodec), 1);
  expect(record!.value.idempotencyKey).toBe('outage:msg_outage_1');
  expect(record!.value.worker.employeeId).toBe('outage-1');
}, 120_000);
