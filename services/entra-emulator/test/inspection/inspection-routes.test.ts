import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { startEmulator, type EntraEmulator } from '../../src/index.ts';
import {
  agentFor,
  call,
  jobId,
  testConfig,
  tokenFor,
  upload,
} from '../support/emulator-fixture.ts';
import { seedOperations } from '../support/seed-request.ts';

describe('/_emulator inspection routes', () => {
  let emulator: EntraEmulator;
  let agent: Agent;

  beforeAll(async () => {
    emulator = await startEmulator(testConfig());
    agent = agentFor(emulator);
    const token = await tokenFor(emulator, agent);
    await upload(emulator, agent, token, seedOperations);
  });

  afterAll(async () => {
    await agent.close();
    await emulator.stop();
  });

  const inspect = (path: string, method: 'GET' | 'POST' = 'GET', body?: unknown) =>
    call(agent, `${emulator.graphUrl}/_emulator${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });

  it('runs a cycle and shows users with managers resolved to objectId and externalId', async () => {
    const cycles = (await inspect('/cycles', 'POST')).json().value;
    expect(cycles).toHaveLength(1);
    const users = (await inspect('/users')).json().value as {
      employeeId: string;
      id: string;
      manager: unknown;
    }[];
    const barbara = users.find((user) => user.employeeId === '701984')!;
    const kathy = users.find((user) => user.employeeId === '701985')!;
    expect(kathy.manager).toEqual({ id: barbara.id, employeeId: '701984' });
  });

  it('lists bulk requests, counters and jobs, and serves the CA', async () => {
    const [record] = (await inspect('/bulk-requests')).json().value;
    expect(record).toMatchObject({
      jobId,
      operations: 2,
      status: 202,
      durationMs: expect.any(Number),
    });
    const counters = (await inspect('/counters')).json();
    expect(counters).toMatchObject({
      bulkRequests: 1,
      operationsAccepted: 2,
      operationsProcessed: 2,
      users: 2,
      cycles: 1,
    });
    expect((await inspect('/jobs')).json().value[0].id).toBe(jobId);
    expect((await inspect('/ca.pem')).text).toBe(emulator.caCertPem);
  });

  it('sets a job state, refusing unknown states and jobs', async () => {
    expect((await inspect(`/jobs/${jobId}/state`, 'POST', { state: 'Quarantine' })).status).toBe(
      204,
    );
    expect((emulator.job(jobId)!.status as { code: string }).code).toBe('Quarantine');
    expect((await inspect(`/jobs/${jobId}/state`, 'POST', { state: 'Running' })).status).toBe(400);
    expect((await inspect('/jobs/none/state', 'POST', { state: 'Active' })).status).toBe(404);
  });
});
