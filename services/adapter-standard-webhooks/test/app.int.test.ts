import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createKafkaClient, typedTopic, workerEventCodec, type Kafka } from '@tributary/kafka';
import { resolveConnections, type AdapterService } from '@tributary/webhook-kit';
import {
  countRecords,
  createTestTopics,
  readRecords,
  type TestTopics,
} from '@tributary/webhook-kit/testing';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { createStandardWebhooksService } from '../src/app.ts';
import { standardWebhooksAdapter } from '../src/standard-webhooks-adapter.ts';
import { newSecret, signedHeaders } from './fixtures/sign.ts';
import { startWorkerApiStandIn, type WorkerApiStandIn } from './fixtures/worker-api-stand-in.ts';

const oldSecret = newSecret();
const secret = newSecret();
const token = 'stand-in-token';

let kafka: Kafka;
let topics: TestTopics;
let service: AdapterService;
let api: WorkerApiStandIn;
let base: string;

function worker(employeeId: string, managerEmployeeId?: string) {
  return sampleWorkerEvent({ employeeId, ...(managerEmployeeId ? { managerEmployeeId } : {}) })
    .worker;
}

function payload(employeeId: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'worker.updated',
    timestamp: '2026-03-01T10:15:30Z',
    data: worker(employeeId, '100'),
    ...extra,
  });
}

async function eventCount(): Promise<number> {
  return countRecords(kafka, topics.workerEvents.name);
}

beforeAll(async () => {
  kafka = createKafkaClient({
    clientId: 'sw-test',
    brokers: process.env['KAFKA_BROKERS']!.split(','),
  });
  topics = await createTestTopics(kafka, 'sw');
  api = await startWorkerApiStandIn(token);
  const env = { SW_OLD: oldSecret, SW_NEW: secret, SW_TOKEN: token };
  const connections = resolveConnections(
    [
      {
        id: 'contoso-hr',
        system: 'standard-webhooks',
        tenantId: 'contoso',
        secrets: [{ env: 'SW_OLD' }, { env: 'SW_NEW' }],
        hydration: { baseUrl: api.baseUrl, credentials: { token: { env: 'SW_TOKEN' } } },
      },
    ],
    {
      system: standardWebhooksAdapter.system,
      optionsSchema: standardWebhooksAdapter.optionsSchema!,
    },
    'test',
    env,
  );
  service = createStandardWebhooksService({ connections, kafka, topics, hydrationWorker: false });
  const address = await service.start({ port: 0 });
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await service?.close(2_000);
  await api?.close();
});

describe('adapter-standard-webhooks against a real broker', () => {
  it('publishes one canonical event per signed delivery, keyed by connection and employee', async () => {
    const before = await eventCount();
    const body = payload('sw-1001');
    const headers = signedHeaders(secret, body, { id: 'msg_valid_1' });

    const response = await request(base).post('/webhooks/contoso-hr').set(headers).send(body);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'published', events: 1 });
    expect(await eventCount()).toBe(before + 1);
    const records = await readRecords(
      kafka,
      typedTopic(topics.workerEvents, workerEventCodec),
      before + 1,
    );
    const record = records.find((candidate) => candidate.value.worker.employeeId === 'sw-1001')!;
    expect(record.key).toBe('contoso-hr/sw-1001');
    expect(record.value).toMatchObject({
      eventType: 'worker.updated',
      idempotencyKey: 'contoso-hr:msg_valid_1',
      occurredAt: '2026-03-01T10:15:30.000Z',
      source: {
        system: 'standard-webhooks',
        connectionId: 'contoso-hr',
        tenantId: 'contoso',
        deliveryId: 'msg_valid_1',
        payloadKind: 'fat',
      },
      worker: { employeeId: 'sw-1001', manager: { employeeId: '100' } },
    });
  });

  it('accepts every active secret and a header listing several signatures', async () => {
    const body = payload('sw-1002');
    const headers = signedHeaders(oldSecret, body);
    const other = signedHeaders(newSecret(), body, { id: headers['webhook-id']! });
    headers['webhook-signature'] = `${other['webhook-signature']} ${headers['webhook-signature']}`;

    const response = await request(base).post('/webhooks/contoso-hr').set(headers).send(body);
    expect(response.status).toBe(200);
  });

  it("accepts Finch's header names", async () => {
    const body = payload('sw-1003');
    const response = await request(base)
      .post('/webhooks/contoso-hr')
      .set(signedHeaders(secret, body, { names: 'finch' }))
      .send(body);
    expect(response.status).toBe(200);
  });

  it('refuses tampered, wrongly signed, replayed, future and unsigned deliveries, producing nothing', async () => {
    const before = await eventCount();
    const body = payload('sw-2001');
    const post = (headers: Record<string, string>, sent = body) =>
      request(base).post('/webhooks/contoso-hr').set(headers).send(sent);

    const tampered = await post(signedHeaders(secret, body), body.replace('sw-2001', 'sw-2002'));
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');

    expect((await post(signedHeaders(newSecret(), body))).body.error.code).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );

    const replayed = await post(
      signedHeaders(secret, body, { at: new Date(Date.now() - 6 * 60_000) }),
    );
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('WEBHOOK_STALE');

    const future = await post(
      signedHeaders(secret, body, { at: new Date(Date.now() + 6 * 60_000) }),
    );
    expect(future.body.error.code).toBe('WEBHOOK_STALE');

    for (const missing of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = signedHeaders(secret, body);
      delete headers[missing];
      const response = await post(headers);
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('WEBHOOK_SIGNATURE_MISSING');
    }
    expect(await eventCount()).toBe(before);
  });

  it('publishes a redelivered webhook-id once', async () => {
    const before = await eventCount();
    const body = payload('sw-3001');
    const first = await request(base)
      .post('/webhooks/contoso-hr')
      .set(signedHeaders(secret, body, { id: 'msg_dup' }))
      .send(body);
    const again = await request(base)
      .post('/webhooks/contoso-hr')
      .set(signedHeaders(secret, body, { id: 'msg_dup' }))
      .send(body);
    expect(first.body.status).toBe('published');
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('duplicate');
    expect(await eventCount()).toBe(before + 1);
  });

  it('hydrates a thin delivery through the worker API, through a 429', async () => {
    api.workers.set('sw-4001', worker('sw-4001', '100'));
    api.throttleNext(1);
    const before = await eventCount();
    const body = JSON.stringify({
      type: 'worker.hired',
      timestamp: '2026-03-01T10:15:30Z',
      data: { employeeId: 'sw-4001' },
    });

    const response = await request(base)
      .post('/webhooks/contoso-hr')
      .set(signedHeaders(secret, body))
      .send(body);

    expect(response.status).toBe(200);
    expect(
      api.requests.filter((seen) => seen.path === '/workers/sw-4001').map((seen) => seen.status),
    ).toEqual([429, 200]);
    const records = await readRecords(
      kafka,
      typedTopic(topics.workerEvents, workerEventCodec),
      before + 1,
    );
    const event = records.find(
      (candidate) => candidate.value.worker.employeeId === 'sw-4001',
    )!.value;
    expect(event.source.payloadKind).toBe('thin');
    expect(event.source.hydratedAt).toBeDefined();
    expect(event.worker).toEqual(api.workers.get('sw-4001'));
    expect(event.effectiveDate).toBe('2026-01-05');
  });

  it('answers bad requests with specific codes', async () => {
    const body = payload('sw-5001');
    const post = (headers: Record<string, string>, sent: string) =>
      request(base).post('/webhooks/contoso-hr').set(headers).send(sent);

    const malformed = '{"type": ';
    expect((await post(signedHeaders(secret, malformed), malformed)).body.error.code).toBe(
      'WEBHOOK_MALFORMED',
    );

    const invalid = JSON.stringify({
      type: 'worker.exploded',
      timestamp: 'yesterday',
      data: { employeeId: 'x' },
    });
    const refused = await post(signedHeaders(secret, invalid), invalid);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('WEBHOOK_PAYLOAD_INVALID');
    expect(refused.body.error.message).toContain('/type');
    expect(refused.body.error.message).not.toContain('exploded');

    const text = await post({ ...signedHeaders(secret, body), 'content-type': 'text/plain' }, body);
    expect(text.status).toBe(415);

    const big = JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) });
    const tooLarge = await post(signedHeaders(secret, big), big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('WEBHOOK_TOO_LARGE');

    const unknown = await request(base)
      .post('/webhooks/nobody')
      .set(signedHeaders(secret, body))
      .send(body);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('WEBHOOK_CONNECTION_UNKNOWN');
  });

  it('reports health and readiness', async () => {
    expect((await request(base).get('/healthz')).status).toBe(200);
    const ready = await request(base).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.kafka).toBe(true);
  });
});
