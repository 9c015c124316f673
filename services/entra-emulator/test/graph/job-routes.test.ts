import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { startEmulator, type EntraEmulator } from '../../src/index.ts';
import {
  agentFor,
  call,
  jobId,
  otherJobId,
  otherSpId,
  provisioningSpId,
  testConfig,
  tokenFor,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';

describe('synchronization job resource', () => {
  let emulator: EntraEmulator;
  let agent: Agent;
  let token: string;

  beforeAll(async () => {
    emulator = await startEmulator(testConfig());
    agent = agentFor(emulator);
    token = await tokenFor(emulator, agent);
  });

  afterAll(async () => {
    await agent.close();
    await emulator.stop();
  });

  const jobUrl = (sp = provisioningSpId, job = jobId) =>
    `${emulator.graphUrl}/v1.0/servicePrincipals/${sp}/synchronization/jobs/${job}`;
  const auth = () => ({ authorization: `Bearer ${token}` });

  it('reports its status in the synchronizationStatus shape', async () => {
    const result = await call(agent, jobUrl(), { headers: auth() });
    expect(result.status).toBe(200);
    expect(result.json()).toMatchObject({
      id: jobId,
      status: {
        code: 'Active',
        lastExecution: null,
        quarantine: null,
        synchronizedEntryCountByType: [{ key: 'User', value: 0 }],
      },
    });
  });

  it('pauses and starts through Graph; a paused job stages but does not process', async () => {
    expect(
      (await call(agent, `${jobUrl()}/pause`, { method: 'POST', headers: auth() })).status,
    ).toBe(204);
    expect((await call(agent, jobUrl(), { headers: auth() })).json().status.code).toBe('Paused');
    expect((await upload(emulator, agent, token, [userOperation('42')])).status).toBe(202);
    await emulator.runCycle();
    expect(emulator.user('42')).toBeUndefined();

    expect(
      (await call(agent, `${jobUrl()}/start`, { method: 'POST', headers: auth() })).status,
    ).toBe(204);
    await emulator.waitForIdle();
    expect(emulator.user('42')).toBeDefined();
    const status = (await call(agent, jobUrl(), { headers: auth() })).json().status;
    expect(status.code).toBe('Active');
    expect(status.lastExecution).toMatchObject({ countImported: 1, state: 'Succeeded' });
  });

  it('leaves quarantine on start', async () => {
    emulator.setJobState(jobId, 'Quarantine');
    const quarantined = (await call(agent, jobUrl(), { headers: auth() })).json().status;
    expect(quarantined.code).toBe('Quarantine');
    expect(quarantined.quarantine).not.toBeNull();
    await call(agent, `${jobUrl()}/start`, { method: 'POST', headers: auth() });
    expect((await call(agent, jobUrl(), { headers: auth() })).json().status.quarantine).toBeNull();
  });

  it('purges staged uploads on restart', async () => {
    await call(agent, `${jobUrl()}/pause`, { method: 'POST', headers: auth() });
    await upload(emulator, agent, token, [userOperation('43')]);
    await call(agent, `${jobUrl()}/restart`, { method: 'POST', headers: auth() });
    await emulator.waitForIdle();
    expect(emulator.user('43')).toBeUndefined();
  });

  it('refuses control of a job the caller does not own, and 404s an unknown one', async () => {
    const denied = await call(agent, `${jobUrl(otherSpId, otherJobId)}/pause`, {
      method: 'POST',
      headers: auth(),
    });
    expect(denied.status).toBe(403);
    expect(
      (await call(agent, jobUrl(provisioningSpId, 'API2AAD.none'), { headers: auth() })).status,
    ).toBe(404);
  });
});
