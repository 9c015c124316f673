import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { startEmulator, type EntraEmulator } from '../../src/index.ts';
import {
  agentFor,
  call,
  jobId,
  provisioningSpId,
  readerAppId,
  readerSecret,
  testConfig,
  tokenFor,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';
import { seedOperations } from '../support/seed-request.ts';

describe('GET /auditLogs/provisioning', () => {
  let emulator: EntraEmulator;
  let agent: Agent;
  let token: string;
  let cycleId: string;

  beforeAll(async () => {
    emulator = await startEmulator(testConfig());
    agent = agentFor(emulator);
    token = await tokenFor(emulator, agent);
    await upload(emulator, agent, token, seedOperations);
    await upload(emulator, agent, token, [
      userOperation('20'),
      userOperation('21'),
      userOperation('22'),
    ]);
    cycleId = (await emulator.runCycle())[0]!.cycleId;
  });

  afterAll(async () => {
    await agent.close();
    await emulator.stop();
  });

  const get = (query: string, bearer = token, version = 'v1.0') =>
    call(agent, `${emulator.graphUrl}/${version}/auditLogs/provisioning${query}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
  const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

  it('follows the Location of a 202 to the job’s entries, newest first', async () => {
    const accepted = await upload(emulator, agent, token, [userOperation('23')]);
    const location = String(accepted.headers.location);
    await emulator.runCycle();
    const result = await call(agent, location, { headers: { authorization: `Bearer ${token}` } });
    expect(result.status).toBe(200);
    const body = result.json();
    expect(body['@odata.context']).toContain('$metadata#auditLogs/provisioning');
    expect(body.value[0].sourceIdentity.id).toBe('23');
    const times = body.value.map((entry: { activityDateTime: string }) => entry.activityDateTime);
    expect([...times].sort().reverse()).toEqual(times);
    expect(body.value[0]).toMatchObject({
      jobId,
      servicePrincipal: { id: provisioningSpId },
      sourceSystem: { displayName: 'API' },
      targetSystem: { displayName: 'Azure Active Directory' },
      initiatedBy: { displayName: 'Azure AD Provisioning Service' },
      sourceIdentity: {
        identityType: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      },
      provisioningStatusInfo: { status: 'success', errorInformation: null },
    });
  });

  it('filters on sourceIdentity/id, cycleId, status and servicePrincipal/id, joined by and', async () => {
    const bySource = (
      await get(q({ $filter: `jobid eq '${jobId}' and sourceIdentity/id eq '701985'` }))
    ).json();
    expect(bySource.value.map((e: { provisioningAction: string }) => e.provisioningAction)).toEqual(
      ['update', 'create'],
    );

    const byCycle = (await get(q({ $filter: `cycleId eq '${cycleId}'` }))).json();
    expect(byCycle.value).toHaveLength(6);
    const notCycle = (await get(q({ $filter: `cycleId ne '${cycleId}'` }))).json();
    expect(notCycle.value.every((e: { cycleId: string }) => e.cycleId !== cycleId)).toBe(true);

    const failures = (
      await get(q({ $filter: "statusInfo/status eq 'failure'" }), token, 'beta')
    ).json();
    expect(failures.value).toEqual([]);
    const successes = (
      await get(
        q({
          $filter:
            "provisioningStatusInfo/status eq 'success' and servicePrincipal/id eq '" +
            provisioningSpId +
            "'",
        }),
      )
    ).json();
    expect(successes.value.length).toBeGreaterThanOrEqual(6);
  });

  it('filters on activityDateTime with ge, gt, le and lt', async () => {
    const all = (await get(q({ $orderby: 'activityDateTime asc' }))).json().value;
    const middle = all[3].activityDateTime;
    const ge = (await get(q({ $filter: `activityDateTime ge ${middle}` }))).json().value;
    const lt = (await get(q({ $filter: `activityDateTime lt ${middle}` }))).json().value;
    expect(ge.length + lt.length).toBe(all.length);
    const gt = (await get(q({ $filter: `activityDateTime gt ${middle}` }))).json().value;
    const le = (await get(q({ $filter: `activityDateTime le ${middle}` }))).json().value;
    expect(gt.length + le.length).toBe(all.length);
  });

  it('pages with $top and @odata.nextLink, oldest first with $orderby asc', async () => {
    const seen: string[] = [];
    let url: string | undefined =
      `${emulator.graphUrl}/v1.0/auditLogs/provisioning${q({ $top: '2', $orderby: 'activityDateTime asc', $filter: `jobid eq '${jobId}'` })}`;
    let pages = 0;
    while (url) {
      const page: { value: { id: string }[]; '@odata.nextLink'?: string } = (
        await call(agent, url, { headers: { authorization: `Bearer ${token}` } })
      ).json();
      expect(page.value.length).toBeLessThanOrEqual(2);
      seen.push(...page.value.map((entry) => entry.id));
      url = page['@odata.nextLink'];
      pages += 1;
    }
    const everything = emulator.provisioningLogs(jobId).map((entry) => entry.id);
    expect(seen).toEqual(everything);
    expect(pages).toBe(Math.ceil(everything.length / 2));
  });

  it('answers 400 in the Graph error shape for a bad $filter, $top or $orderby', async () => {
    for (const query of [
      q({ $filter: 'jobid eq' }),
      q({ $filter: "nosuchfield eq 'x'" }),
      q({ $filter: "jobid eq 'a' or jobid eq 'b'" }),
      q({ $filter: 'activityDateTime ge yesterday' }),
      q({ $top: '0' }),
      q({ $orderby: 'jobId' }),
      q({ $skiptoken: 'garbage' }),
    ]) {
      const result = await get(query);
      expect(result.status).toBe(400);
      expect(result.json().error).toMatchObject({
        code: 'BadRequest',
        innerError: expect.any(Object),
      });
    }
  });

  it('requires a token with ProvisioningLog.Read.All or AuditLog.Read.All', async () => {
    expect((await get('', 'nope')).status).toBe(401);
    const reader = await tokenFor(emulator, agent, readerAppId, readerSecret);
    expect((await get('', reader)).status).toBe(200);
  });
});

describe('log visibility delay', () => {
  it('hides entries until the configured delay has passed', async () => {
    const emulator = await startEmulator(
      testConfig({ provisioningLogs: { visibilityDelayMs: 300 } }),
    );
    const agent = agentFor(emulator);
    try {
      const token = await tokenFor(emulator, agent);
      await upload(emulator, agent, token, [userOperation('30')]);
      await emulator.runCycle();
      const read = async () =>
        (
          await call(agent, `${emulator.graphUrl}/v1.0/auditLogs/provisioning`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json().value as unknown[];
      expect(await read()).toEqual([]);
      let entries = await read();
      while (entries.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        entries = await read();
      }
      expect(entries).toHaveLength(1);
    } finally {
      await agent.close();
      await emulator.stop();
    }
  });
});
