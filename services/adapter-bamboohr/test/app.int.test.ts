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
import type { WorkerEvent } from '@tributary/worker-event';
import { createBambooHrService } from '../src/app.ts';
import { bambooHrAdapter } from '../src/bamboohr-adapter.ts';
import { startBambooHrStandIn, type BambooHrStandIn } from './fixtures/bamboohr-api-stand-in.ts';
import { bambooHeaders } from './fixtures/sign.ts';

const key = 'bamboo-private-key-1';
const rotatedKey = 'bamboo-private-key-2';
const apiKey = 'bamboo-api-key';

let kafka: Kafka;
let topics: TestTopics;
let service: AdapterService;
let api: BambooHrStandIn;
let base: string;

function eventBased(type: string, employeeId: string, changedFields: string[]): string {
  return JSON.stringify({
    type,
    timestamp: '2026-01-31T18:42:00+0000',
    data: { companyId: '12345', employeeId, changedFields },
  });
}

async function publishedFor(sourceWorkerId: string): Promise<WorkerEvent[]> {
  const total = await countRecords(kafka, topics.workerEvents.name);
  const records = await readRecords(
    kafka,
    typedTopic(topics.workerEvents, workerEventCodec),
    total,
  );
  return records
    .map((record) => record.value)
    .filter((event) => event.worker.sourceWorkerId === sourceWorkerId);
}

const post = (body: string, headers: Record<string, string>) =>
  request(base).post('/webhooks/acme-bamboo').set(headers).send(body);

beforeAll(async () => {
  kafka = createKafkaClient({
    clientId: 'bamboo-test',
    brokers: process.env['KAFKA_BROKERS']!.split(','),
  });
  topics = await createTestTopics(kafka, 'bamboo');
  api = await startBambooHrStandIn('acme', apiKey);
  api.employees.set('40', {
    employeeNumber: 'E-40',
    firstName: 'Ada',
    lastName: 'Manager',
    workEmail: 'ada.manager@acme.example',
    status: 'Active',
    hireDate: '2019-04-01',
  });
  api.employees.set('41', {
    employeeNumber: 'E-41',
    firstName: 'Grace',
    lastName: 'Report',
    workEmail: 'grace.report@acme.example',
    jobTitle: 'Engineer',
    department: 'Research',
    status: 'Active',
    employmentHistoryStatus: 'Full-Time',
    hireDate: '2024-02-01',
    originalHireDate: '2024-02-01',
    terminationDate: null,
    supervisorEId: '40',
  });
  const connections = resolveConnections(
    [
      {
        id: 'acme-bamboo',
        system: 'bamboohr',
        tenantId: 'acme',
        secrets: [{ env: 'KEY_1' }, { env: 'KEY_2' }],
        hydration: {
          baseUrl: api.baseUrl,
          credentials: { apiKey: { env: 'API_KEY' } },
          maxAttempts: 3,
        },
      },
    ],
    {
      system: 'bamboohr',
      optionsSchema: bambooHrAdapter.optionsSchema!,
      credentialNames: ['apiKey'],
    },
    'test',
    { KEY_1: key, KEY_2: rotatedKey, API_KEY: apiKey },
  );
  service = createBambooHrService({
    connections,
    kafka,
    topics,
    serviceName: `adapter-bamboohr-test-${Date.now()}`,
  });
  base = `http://127.0.0.1:${(await service.start({ port: 0 })).port}`;
});

afterAll(async () => {
  await service?.close(2_000);
  await api?.close();
});

describe('adapter-bamboohr against a real broker', () => {
  it('hydrates an event-based update and resolves the manager to an employee number', async () => {
    const body = eventBased('employee.updated', '41', ['jobTitle', 'reportsTo']);
    const response = await post(body, bambooHeaders(key, body));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'published', events: 1 });
    const [event, ...others] = await publishedFor('41');
    expect(others).toHaveLength(0);
    expect(event).toMatchObject({
      eventType: 'worker.updated',
      occurredAt: '2026-01-31T18:42:00.000Z',
      changedFields: ['job.title', 'manager'],
      source: {
        system: 'bamboohr',
        connectionId: 'acme-bamboo',
        tenantId: 'acme',
        payloadKind: 'thin',
      },
      worker: {
        sourceWorkerId: '41',
        employeeId: 'E-41',
        userName: 'grace.report@acme.example',
        job: {
          title: 'Engineer',
          department: 'Research',
          employeeType: 'employee',
          employmentType: 'full_time',
        },
        manager: { employeeId: 'E-40', sourceWorkerId: '40' },
        employment: { status: 'active', active: true, hireDate: '2024-02-01' },
      },
    });
    const fetched = api.requests.find((seen) => seen.path.endsWith('/employees/41/'))!;
    expect(fetched.fields).toContain('supervisorEId');
  });

  it('accepts a form-encoded delivery signed with the rotated key and an ISO timestamp', async () => {
    api.employees.set('42', { employeeNumber: 'E-42', status: 'Active', hireDate: '2025-01-01' });
    const body =
      'type=employee.created&data[companyId]=12345&data[employeeId]=42&data[changedFields][0]=firstName';
    const headers = bambooHeaders(rotatedKey, body, {
      timestamp: new Date()
        .toISOString()
        .replace('Z', '+0000')
        .replace(/\.\d{3}/, ''),
      contentType: 'application/x-www-form-urlencoded',
    });
    const response = await post(body, headers);
    expect(response.status).toBe(200);
    const [event] = await publishedFor('42');
    expect(event).toMatchObject({ eventType: 'worker.hired', effectiveDate: '2025-01-01' });
  });

  it('carries a termination dated in the future as such', async () => {
    api.employees.set('43', {
      employeeNumber: 'E-43',
      status: 'Active',
      hireDate: '2020-01-01',
      terminationDate: '2099-06-30',
    });
    const body = eventBased('employee.updated', '43', [
      'employmentHistoryStatus',
      'terminationDate',
    ]);
    expect((await post(body, bambooHeaders(key, body))).status).toBe(200);
    const [event] = await publishedFor('43');
    expect(event).toMatchObject({
      eventType: 'worker.terminated',
      effectiveDate: '2099-06-30',
      worker: { employment: { status: 'active', active: true, terminationDate: '2099-06-30' } },
    });
  });

  it('publishes a field-based (fat) delivery without calling the API', async () => {
    const before = api.requests.length;
    const body = JSON.stringify({
      employees: [
        {
          id: 77,
          changedFields: ['jobTitle'],
          fields: {
            employeeNumber: { value: 'E-77' },
            status: { value: 'Active' },
            firstName: { value: 'Lin' },
            jobTitle: { value: 'Senior HR Administrator' },
          },
        },
      ],
      fields: { jobTitle: 'Job Title' },
    });
    expect((await post(body, bambooHeaders(key, body))).status).toBe(200);
    expect(api.requests.length).toBe(before);
    const [event] = await publishedFor('77');
    expect(event).toMatchObject({
      source: { payloadKind: 'fat' },
      worker: { employeeId: 'E-77', job: { title: 'Senior HR Administrator' } },
    });
  });

  it('refuses tampered, wrongly signed, stale and unsigned deliveries and publishes nothing', async () => {
    const before = await countRecords(kafka, topics.workerEvents.name);
    const body = eventBased('employee.updated', '41', ['jobTitle']);

    const tampered = await post(body.replace('jobTitle', 'department'), bambooHeaders(key, body));
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect((await post(body, bambooHeaders('wrong-key', body))).body.error.code).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
    const stale = await post(
      body,
      bambooHeaders(key, body, { timestamp: String(Math.floor(Date.now() / 1000) - 600) }),
    );
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('WEBHOOK_STALE');
    const unsigned = await post(body, { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.error.code).toBe('WEBHOOK_SIGNATURE_MISSING');

    expect(await countRecords(kafka, topics.workerEvents.name)).toBe(before);
  });

  it('publishes a repeated delivery once', async () => {
    const body = eventBased('employee.updated', '40', ['department']);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const first = await post(body, bambooHeaders(key, body, { timestamp }));
    const second = await post(
      body,
      bambooHeaders(key, body, { timestamp: String(Number(timestamp) + 1) }),
    );
    expect(first.body.status).toBe('published');
    expect(second.body.status).toBe('duplicate');
    expect(await publishedFor('40')).toHaveLength(1);
  });

  it('refuses malformed bodies and payloads failing the schema with the path only', async () => {
    const form = 'data[employeeId]=1&data[employeeId][x]=2';
    const malformed = await post(
      form,
      bambooHeaders(key, form, { contentType: 'application/x-www-form-urlencoded' }),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('WEBHOOK_MALFORMED');

    const body = JSON.stringify({
      type: 'employee.updated',
      data: { employeeId: 'Ada Lovelace <ada@x>' },
    });
    const invalid = await post(body, bambooHeaders(key, body));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('WEBHOOK_PAYLOAD_INVALID');
    expect(invalid.body.error.message).toContain('/data/employeeId');
    expect(invalid.body.error.message).not.toContain('Ada');
  });
});
