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
import { createBambooHrService } from '../src/app.ts';
import { bambooHeaders } from './fixtures/sign.ts';

// A broker of its own: this test stops it, which would break every other suite sharing one.
let cluster: KafkaCluster;
let kafka: Kafka;
let topics: TestTopics;
let service: AdapterService;
let base: string;
const key = 'bamboo-outage-key';

beforeAll(async () => {
  cluster = await startKafka();
  kafka = createKafkaClient({
    clientId: 'bamboo-outage',
    brokers: [...cluster.brokers],
    connectionTimeoutMs: 1_000,
  });
  topics = await createTestTopics(kafka, 'bamboo-outage');
  const connections = resolveConnections(
    [{ id: 'outage', system: 'bamboohr', tenantId: 'acme', secrets: [{ env: 'KEY' }] }],
    { system: 'bamboohr' },
    'test',
    { KEY: key },
  );
  service = createBambooHrService({
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
  // Field-based and complete: published without the API.
  const body = JSON.stringify({
    employees: [
      {
        id: 501,
        changedFields: ['jobTitle'],
        fields: {
          employeeNumber: { value: 'E-501' },
          status: { value: 'Active' },
          jobTitle: { value: 'Engineer' },
        },
      },
    ],
  });
  // BambooHR signs each attempt afresh; the body, hence the idempotency key, stays the same.
  const outage = await deliverAcrossOutage({
    broker: cluster,
    baseUrl: base,
    delivery: { path: '/webhooks/outage', headers: bambooHeaders(key, body), body },
  });

  expect(outage).toMatchObject({
    readyBefore: 200,
    whileDown: { status: 503, retryAfter: '5', body: { error: { code: 'KAFKA_UNAVAILABLE' } } },
    readyWhileDown: 503,
    afterwards: { status: 200, body: { status: 'published' } },
  });
  const [record] = await readRecords(kafka, typedTopic(topics.workerEvents, workerEventCodec), 1);
  expect(record!.key).toBe('outage/E-501');
  expect(record!.value.idempotencyKey).toMatch(/^outage:sha256:[0-9a-f]{64}$/);
  expect(record!.value.worker).toMatchObject({ sourceWorkerId: '501', employeeId: 'E-501' });
}, 120_000);
