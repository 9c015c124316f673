import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createKafkaClient, typedTopic, workerEventCodec, type Kafka } from '@tributary/kafka';
import {
  rawDeliveriesTopic,
  resolveConnections,
  type AdapterService,
} from '@tributary/webhook-kit';
import {
  countRecords,
  createTestTopics,
  readRecords,
  type TestTopics,
} from '@tributary/webhook-kit/testing';
import type { WorkerEvent } from '@tributary/worker-event';
import { createHiBobService } from '../src/app.ts';
import { hiBobAdapter } from '../src/hibob-adapter.ts';
import { startHiBobStandIn, type HiBobStandIn } from './fixtures/hibob-api-stand-in.ts';

const secret = 'bob-webhook-secret';
const lagMs = 500;
let kafka: Kafka;
let topics: TestTopics;
let service: AdapterService;
let api: HiBobStandIn;
let base: string;

const sign = (body: string) => ({
  'content-type': 'application/json',
  'bob-signature': createHmac('sha512', secret).update(body).digest('base64'),
});

function event(type: string, employeeId: string, fieldUpdates: string[] = []): string {
  return JSON.stringify({
    companyId: 123456,
    type,
    triggeredBy: '3332883884017713238',
    triggeredAt: new Date().toISOString(),
    version: 'v2',
    data: { employeeId, fieldUpdates },
  });
}

async function waitForEvents(count: number): Promise<WorkerEvent[]> {
  return (await readRecords(kafka, typedTopic(topics.workerEvents, workerEventCodec), count)).map(
    (r) => r.value,
  );
}

beforeAll(async () => {
  kafka = createKafkaClient({
    clientId: 'hibob-test',
    brokers: process.env['KAFKA_BROKERS']!.split(','),
  });
  topics = await createTestTopics(kafka, 'hibob');
  api = await startHiBobStandIn('SERVICE-1', 'bob-token');
  api.people.set('900', {
    'root.id': '900',
    'root.email': 'boss@acme.example',
    'work.employeeIdInCompany': '1000',
  });
  api.people.set('901', {
    'root.id': '901',
    'root.email': 'report@acme.example',
    'root.firstName': 'Rita',
    'root.surname': 'Report',
    'work.employeeIdInCompany': '1001',
    'work.title': 'Analyst',
    'work.reportsTo.id': '900',
    'work.startDate': '2021-05-01',
    'internal.status': 'Inactive',
    'internal.lifecycleStatus': 'terminated',
    'internal.terminationDate': '2026-02-28',
  });
  const connections = resolveConnections(
    [
      {
        id: 'acme-bob',
        system: 'hibob',
        tenantId: '123456',
        secrets: [{ env: 'BOB_SECRET' }],
        hydration: {
          baseUrl: api.baseUrl,
          credentials: { serviceUserId: { env: 'BOB_USER' }, token: { env: 'BOB_TOKEN' } },
          delayMs: lagMs,
        },
      },
    ],
    {
      system: 'hibob',
      optionsSchema: hiBobAdapter.optionsSchema!,
      credentialNames: hiBobAdapter.credentialNames!,
      hydrationDefaults: hiBobAdapter.hydrationDefaults!,
    },
    'test',
    { BOB_SECRET: secret, BOB_USER: 'SERVICE-1', BOB_TOKEN: 'bob-token' },
  );
  service = createHiBobService({
    connections,
    kafka,
    topics,
    serviceName: `adapter-hibob-test-${randomUUID()}`,
  });
  base = `http://127.0.0.1:${(await service.start({ port: 0 })).port}`;
});

afterAll(async () => {
  await service?.close(5_000);
  await api?.close();
});

describe('adapter-hibob against a real broker', () => {
  it('answers the ping test without producing anything', async () => {
    for (const body of ['"Ping test"', '{"text":"Ping test"}', 'Ping test']) {
      const response = await request(base)
        .post('/webhooks/acme-bob')
        .set('content-type', 'text/plain')
        .send(body);
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('ping');
    }
    expect(await countRecords(kafka, topics.rawDeliveries.name)).toBe(0);
  });

  it('acknowledges at once, then hydrates after the lag and publishes the canonical event', async () => {
    const body = event('employee.left', '901', ['internal.lifecycleStatus']);
    const sentAt = Date.now();
    api.throttleNext(1);
    const response = await request(base).post('/webhooks/acme-bob').set(sign(body)).send(body);
    expect(response.status).toBe(202);
    expect(response.body.status).toBe('deferred');
    expect(await countRecords(kafka, topics.rawDeliveries.name)).toBe(1);
    const [raw] = await readRecords(kafka, rawDeliveriesTopic(topics.rawDeliveries), 1);
    expect(raw!.key).toBe('acme-bob/901');

    const [published] = await waitForEvents(1);
    expect(published).toMatchObject({
      eventType: 'worker.terminated',
      effectiveDate: '2026-02-28',
      source: {
        system: 'hibob',
        tenantId: '123456',
        rawEventType: 'employee.left',
        payloadKind: 'thin',
      },
      worker: {
        sourceWorkerId: '901',
        employeeId: '1001',
        manager: { employeeId: '1000', sourceWorkerId: '900' },
        employment: { status: 'terminated', active: false, terminationDate: '2026-02-28' },
      },
    });
    const reads = api.requests.filter((seen) => seen.path === '/v1/people/901');
    expect(reads.map((seen) => seen.status)).toEqual([429, 200]);
    expect(reads[0]!.at - sentAt).toBeGreaterThanOrEqual(lagMs - 50);
  });

  it('refuses a bad or missing signature and keeps nothing', async () => {
    const before = await countRecords(kafka, topics.rawDeliveries.name);
    const body = event('employee.updated', '901', ['work.title']);
    const wrong = await request(base)
      .post('/webhooks/acme-bob')
      .set({ ...sign(`${body} `) })
      .send(body);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    const missing = await request(base)
      .post('/webhooks/acme-bob')
      .set('content-type', 'application/json')
      .send(body);
    expect(missing.body.error.code).toBe('WEBHOOK_SIGNATURE_MISSING');
    expect(await countRecords(kafka, topics.rawDeliveries.name)).toBe(before);
  });

  it('keeps one copy of a redelivered body and ignores table events', async () => {
    const before = await countRecords(kafka, topics.rawDeliveries.name);
    const body = event('employee.updated', '900', ['work.title']);
    expect(
      (await request(base).post('/webhooks/acme-bob').set(sign(body)).send(body)).body.status,
    ).toBe('deferred');
    expect(
      (await request(base).post('/webhooks/acme-bob').set(sign(body)).send(body)).body.status,
    ).toBe('duplicate');
    const table = JSON.stringify({
      companyId: 123456,
      type: 'table.entry.updated',
      triggeredAt: new Date().toISOString(),
      data: { employeeId: '900' },
    });
    expect(
      (await request(base).post('/webhooks/acme-bob').set(sign(table)).send(table)).body.status,
    ).toBe('ignored');
    expect(await countRecords(kafka, topics.rawDeliveries.name)).toBe(before + 1);
  });
});
