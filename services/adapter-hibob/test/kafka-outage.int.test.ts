import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';

import { rawDeliveriesTopic, resolveConnections } from '@tributary/webhook-kit';
import {
  deliverAcrossOutage,
  readRecords,
  startOutageRig,
  type OutageRig,
} from '@tributary/webhook-kit/testing';
import { createHiBobService } from '../src/app.ts';
import { hiBobAdapter } from '../src/hibob-adapter.ts';

// A broker of its own: this test stops it, which would break every other suite sharing one.
let rig: OutageRig;
const secret = 'bob-outage-secret';

beforeAll(async () => {
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
  rig = await startOutageRig('hibob-outage', (kafka, topics) =>
    createHiBobService({
      connections,
      kafka,
      topics,
      hydrationWorker: false,
      kafkaSendTimeoutMs: 3_000,
    }),
  );
}, 120_000);

afterAll(() => rig?.stop(), 60_000);

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
    broker: rig.cluster,
    baseUrl: rig.baseUrl,
    delivery: { path: '/webhooks/outage', headers, body },
  });

  // Bob's deliveries are acknowledged once the raw delivery is on Kafka, hydrated later.
  expect(outage).toMatchObject({
    readyBefore: 200,
    whileDown: { status: 503, retryAfter: '5', body: { error: { code: 'KAFKA_UNAVAILABLE' } } },
    readyWhileDown: 503,
    afterwards: { status: 202, body: { status: 'deferred' } },
  });
  const [record] = await readRecords(rig.kafka, rawDeliveriesTopic(rig.topics.rawDeliveries), 1);
  expect(record!.key).toBe('outage/3001');
  expect(record!.value).toMatchObject({
    system: 'hibob',
    connectionId: 'outage',
    payload: { data: { employeeId: '3001' } },
  });
}, 120_000);
