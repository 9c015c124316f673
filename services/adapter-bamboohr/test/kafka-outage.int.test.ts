import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { typedTopic, workerEventCodec } from '@tributary/kafka';
import { resolveConnections } from '@tributary/webhook-kit';
import {
  deliverAcrossOutage,
  readRecords,
  startOutageRig,
  type OutageRig,
} from '@tributary/webhook-kit/testing';
import { createBambooHrService } from '../src/app.ts';
import { bambooHeaders } from './fixtures/sign.ts';

// A broker of its own: this test stops it, which would break every other suite sharing one.
let rig: OutageRig;
const key = 'bamboo-outage-key';

beforeAll(async () => {
  const connections = resolveConnections(
    [{ id: 'outage', system: 'bamboohr', tenantId: 'acme', secrets: [{ env: 'KEY' }] }],
    { system: 'bamboohr' },
    'test',
    { KEY: key },
  );
  rig = await startOutageRig('bamboo-outage', (kafka, topics) =>
    createBambooHrService({
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
    broker: rig.cluster,
    baseUrl: rig.baseUrl,
    delivery: { path: '/webhooks/outage', headers: bambooHeaders(key, body), body },
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
  expect(record!.key).toBe('outage/E-501');
  expect(record!.value.idempotencyKey).toMatch(/^outage:sha256:[0-9a-f]{64}$/);
  expect(record!.value.worker).toMatchObject({ sourceWorkerId: '501', employeeId: 'E-501' });
}, 120_000);
