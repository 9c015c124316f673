import { createHmac } from 'node:crypto';
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
import { createMergeService } from '../src/app.ts';
import { mergeAdapter } from '../src/merge-adapter.ts';
import { startMergeStandIn, type MergeStandIn } from './fixtures/merge-api-stand-in.ts';

const key = 'merge-signature-key';
let kafka: Kafka;
let topics: TestTopics;
let service: AdapterService;
let api: MergeStandIn;
let base: string;

const sign = (body: string, padded = false) => {
  const signature = createHmac('sha256', key).update(body).digest('base64url');
  return {
    'content-type': 'application/json',
    'x-merge-webhook-signature': padded ? `${signature}=` : signature,
  };
};

function delivery(event: string, data: Record<string, unknown>): string {
  return JSON.stringify({
    hook: { id: 'hook-1', event, target: 'https://example.invalid/webhooks/acme-merge' },
    linked_account: { id: 'la-1', integration: 'BambooHR' },
    data,
  });
}

beforeAll(async () => {
  kafka = createKafkaClient({
    clientId: 'merge-test',
    brokers: process.env['KAFKA_BROKERS']!.split(','),
  });
  topics = await createTestTopics(kafka, 'merge');
  api = await startMergeStandIn('merge-api-key', 'account-token');
  api.employees.set('m-boss', { id: 'm-boss', employee_number: 'B-1' });
  const connections = resolveConnections(
    [
      {
        id: 'acme-merge',
        system: 'merge',
        tenantId: 'la-1',
        secrets: [{ env: 'MERGE_KEY' }],
        hydration: {
          baseUrl: api.baseUrl,
          credentials: { apiKey: { env: 'MERGE_API' }, accountToken: { env: 'MERGE_ACCOUNT' } },
        },
      },
    ],
    {
      system: 'merge',
      optionsSchema: mergeAdapter.optionsSchema!,
      credentialNames: mergeAdapter.credentialNames!,
    },
    'test',
    { MERGE_KEY: key, MERGE_API: 'merge-api-key', MERGE_ACCOUNT: 'account-token' },
  );
  service = createMergeService({
    connections,
    kafka,
    topics,
    serviceName: `adapter-merge-test-${Date.now()}`,
  });
  base = `http://127.0.0.1:${(await service.start({ port: 0 })).port}`;
});

afterAll(async () => {
  await service?.close(2_000);
  await api?.close();
});

describe('adapter-merge against a real broker', () => {
  it('maps the Employee common model and resolves the manager id to an employee number', async () => {
    const body = delivery('Employee.changed', {
      id: 'm-41',
      employee_number: 'E-41',
      first_name: 'Mia',
      last_name: 'Merge',
      work_email: 'mia@acme.example',
      employments: [{ job_title: 'Designer', employment_type: 'PART_TIME' }],
      work_location: { id: 'loc-1', name: 'Lisbon', country: 'PT' },
      manager: 'm-boss',
      employment_status: 'ACTIVE',
      hire_date: '2022-03-01T00:00:00Z',
      termination_date: '2099-09-30T00:00:00Z',
    });
    const response = await request(base)
      .post('/webhooks/acme-merge')
      .set(sign(body, true))
      .send(body);
    expect(response.status).toBe(200);
    const [record] = await readRecords(kafka, typedTopic(topics.workerEvents, workerEventCodec), 1);
    expect(record!.key).toBe('acme-merge/E-41');
    expect(record!.value).toMatchObject({
      eventType: 'worker.terminated',
      effectiveDate: '2099-09-30',
      source: {
        system: 'merge',
        tenantId: 'la-1',
        rawEventType: 'Employee.changed',
        payloadKind: 'fat',
      },
      worker: {
        employeeId: 'E-41',
        job: {
          title: 'Designer',
          employmentType: 'part_time',
          location: { name: 'Lisbon', countryCode: 'PT' },
        },
        manager: { employeeId: 'B-1', sourceWorkerId: 'm-boss' },
        employment: { status: 'active', active: true, terminationDate: '2099-09-30' },
      },
    });
  });

  it('refuses a wrong signature and ignores other models', async () => {
    const before = await countRecords(kafka, topics.workerEvents.name);
    const body = delivery('Employee.added', { id: 'm-42', employee_number: 'E-42' });
    const wrong = await request(base)
      .post('/webhooks/acme-merge')
      .set(sign(`${body} `))
      .send(body);
    expect(wrong.status).toBe(401);
    const other = delivery('Team.changed', { id: 't-1' });
    expect(
      (await request(base).post('/webhooks/acme-merge').set(sign(other)).send(other)).body.status,
    ).toBe('ignored');
    expect(await countRecords(kafka, topics.workerEvents.name)).toBe(before);
  });
});
