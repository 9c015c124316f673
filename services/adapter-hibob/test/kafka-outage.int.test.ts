import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startKafka, type KafkaCluster } from '@tributary/kafka-broker';
import { createKafkaClient, type Kafka } from '@tributary/kafka';
import {
  rawDeliveriesTopic,
  resolveConnections,
  type AdapterService,
} from '@tributary/webhook-kit';
import {
  createTestTopics,
  deliverAcrossOutage,
  readRecords,
  type TestTopics,
} from '@tributary/webhook-kit/testing';
import { createHiBobService } from '../src/app.ts';
import { hiBobAdapter } from '../src/hibob-adapter.ts';

// A broker of its own: this test stops it, which would break every other suite sharing one.
let cluster: KafkaCluster;
let kafka: Kafka;
let topics: TestTopics;
let service: AdapterService;
let base: string;
const secret = 'bob-outage-secret';

beforeAll(async () => {
  cluster = await startKafka();
  kafka = createKafkaClient({
    clientId: 'hibob-outage',
    brokers: [...cluster.brokers],
    connectionTimeoutMs: 1_000,
  });
  topics = await createTestTopics(kafka, 'hibob-outage');
  const connections = resolveConnections(
    [
      {
        id: 'outage',
        system: 'hibob',
        tenantId: '123456',
        secrets: [{ env: 'SECRET' }],
        // Never called: the delivery is deferred, and no hydration worker runs here.
        hydration: {
          baseUrl: 'http://127.0.0.1:9',
          credentials: { serviceUserId: { env: 'SECRET' }, token: { env: 'SECRET' } },
        },
      },
    ],
    {
      system: 'hibob',
      credentialNames: hiBobAdapter.credentialNames!,
      hydrationDefaults: hiBobAdapter.hydrationDefaults!,
    },
    'test',
    { SECRET: secret },
  );
  service = createHiBobService({
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

it('answers 503 with Retry-After while Kafka is down, and keeps the retried delivery after', async () => {
  const body = JSON.stringify({
    companyId: 123456,
    type: 'employee.updated',
    triggeredAt: new Date().toISOString(),
    data: { employeeId: '3001', fieldUpdates: ['work.title'] },
  });
  const headers = {
    'content-type': 'application/json',
    'bob-signature': createHmac('sha512', secret).update(body).digest('base64'),
  };
  const outage = await deliverAcrossOutage({
    broker: cluster,
    baseUrl: base,
    delivery: { path: '/webhooks/outage', headers, body },
  });

  // Bob's deliveries are acknowledged once the raw delivery is on Kafka, hydrated later.
  expect(outage).toMatchObject({
    readyBefore: 200,
    whileDown: { status: 503, retryAfter: '5', body: { error: { code: 'KAFKA_UNAVAILABLE' } } },
    readyWhileDown: 503,
    afterwards: { status: 202, body: { status: 'deferred' } },
  });
  const [record] = await readRecords(kafka, rawDeliveriesTopic(topics.rawDeliveries), 1);
  expect(record!.key).toBe('outage/3001');
  expect(record!.value).toMatchObject({
    system: 'hibob',
    connectionId: 'outage',
    payload: { data: { employeeId: '3001' } },
  });
}, 120_000);
