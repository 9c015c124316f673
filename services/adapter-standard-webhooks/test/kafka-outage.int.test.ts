import { afterAll, beforeAll, expect, it } from '@jest/globals';
import request from 'supertest';
import { startKafka, type KafkaCluster } from '@tributary/kafka-broker';
import { createKafkaClient, typedTopic, workerEventCodec, type Kafka } from '@tributary/kafka';
import { resolveConnections, type AdapterService } from '@tributary/webhook-kit';
import { createTestTopics, readRecords, type TestTopics } from '@tributary/webhook-kit/testing';
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
  const deliver = () =>
    request(base)
      .post('/webhooks/outage')
      .set(signedHeaders(secret, body, { id: 'msg_outage_1' }))
      .send(body);

  expect((await request(base).get('/readyz')).status).toBe(200);
  await cluster.stopBroker(cluster.nodes[0]!.nodeId);

  const refused = await deliver();
  expect(refused.status).toBe(503);
  expect(refused.headers['retry-after']).toBe('5');
  expect(refused.body.error.code).toBe('KAFKA_UNAVAILABLE');
  expect((await request(base).get('/readyz')).status).toBe(503);

  await cluster.startBroker(cluster.nodes[0]!.nodeId);

  // The sender retries until it gets a 2xx, as every vendor does after a 503.
  let answer = await deliver();
  const deadline = Date.now() + 60_000;
  while (answer.status === 503 && Date.now() < deadline) answer = await deliver();
  expect(answer.status).toBe(200);
  expect(answer.body.status).toBe('published');

  const [record] = await readRecords(kafka, typedTopic(topics.workerEvents, workerEventCodec), 1);
  expect(record!.value.idempotencyKey).toBe('outage:msg_outage_1');
  expect(record!.value.worker.employeeId).toBe('outage-1');
}, 120_000);
