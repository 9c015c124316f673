import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { typedTopic, workerEventCodec } from '@tributary/kafka';
import { resolveConnections } from '@tributary/webhook-kit';
import {
  deliverAcrossOutage,
  readRecords,
  startOutageRig,
  type OutageRig,
} from '@tributary/webhook-kit/testing';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { createStandardWebhooksService } from '../src/app.ts';
import { newSecret, signedHeaders } from './fixtures/sign.ts';

// A broker of its own: this test stops it, which would break every other suite sharing one.
let rig: OutageRig;
const secret = newSecret();

beforeAll(async () => {
  const connections = resolveConnections(
    [{ id: 'outage', system: 'standard-webhooks', tenantId: 't', secrets: [{ env: 'S' }] }],
    { system: 'standard-webhooks' },
    'test',
    { S: secret },
  );
  rig = await startOutageRig('sw-outage', (kafka, topics) =>
    createStandardWebhooksService({
      connections,
      kafka,
      topics,
      hydrationWorker: false,
      kafkaSendTimeoutMs: 3_000,
    }),
  );
}, 120_000);

afterAll(() => rig?.stop(), 60_000);

it('answers 503 with Retry-After while Kafka is down, and publishes the retried delivery after', async () => {
  const body = JSON.stringify({
    type: 'worker.updated',
    timestamp: new Date().toISOString(),
    data: sampleWorkerEvent({ employeeId: 'outage-1' }).worker,
  });
  const outage = await deliverAcrossOutage({
    broker: rig.cluster,
    baseUrl: rig.baseUrl,
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
  const [record] = await readRecords(
    rig.kafka,
    typedTopic(rig.topics.workerEvents, workerEventCodec),
    1,
  );
  expect(record!.value.idempotencyKey).toBe('outage:msg_outage_1');
  expect(record!.value.worker.employeeId).toBe('outage-1');
}, 120_000);
