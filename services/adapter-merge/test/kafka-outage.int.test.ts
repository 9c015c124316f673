import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { typedTopic, workerEventCodec } from '@tributary/kafka';
import { resolveConnections } from '@tributary/webhook-kit';
import {
  deliverAcrossOutage,
  readRecords,
  startOutageRig,
  type OutageRig,
} from '@tributary/webhook-kit/testing';
import { createMergeService } from '../src/app.ts';

// A broker of its own: this test stops it, which would break every other suite sharing one.
let rig: OutageRig;
const key = 'merge-outage-key';

beforeAll(async () => {
  const connections = resolveConnections(
    [{ id: 'outage', system: 'merge', tenantId: 'la-1', secrets: [{ env: 'KEY' }] }],
    { system: 'merge' },
    'test',
    { KEY: key },
  );
  rig = await startOutageRig('merge-outage', (kafka, topics) =>
    createMergeService({
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
  // No manager: the Employee common model is complete without the API.
  const body = JSON.stringify({
    hook: { id: 'hook-1', event: 'Employee.changed' },
    linked_account: { id: 'la-1' },
    data: { id: 'm-77', employee_number: 'E-77', employment_status: 'ACTIVE' },
  });
  const headers = {
    'content-type': 'application/json',
    'x-merge-webhook-signature': createHmac('sha256', key).update(body).digest('base64url'),
  };
  const outage = await deliverAcrossOutage({
    broker: rig.cluster,
    baseUrl: rig.baseUrl,
    delivery: { path: '/webhooks/outage', headers, body },
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
  expect(record!.key).toBe('outage/E-77');
  expect(record!.value.worker).toMatchObject({ sourceWorkerId: 'm-77', employeeId: 'E-77' });
}, 120_000);
