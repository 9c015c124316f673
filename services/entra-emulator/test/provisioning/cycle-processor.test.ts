import { afterEach, describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { startEmulator, type EntraEmulator, type JobConfig } from '../../src/index.ts';
import {
  agentFor,
  enterprise,
  jobId,
  testConfig,
  tokenFor,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';
import { seedOperations } from '../support/seed-request.ts';

type Entry = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let emulator: EntraEmulator;
let agent: Agent;
let token: string;

async function start(job: Partial<JobConfig> = {}, seedUsers: unknown[] = []) {
  const config = testConfig();
  Object.assign(config.tenants[0]!.servicePrincipals![0]!.jobs![0]!, job);
  config.tenants[0]!.users = seedUsers as never;
  emulator = await startEmulator(config);
  agent = agentFor(emulator);
  token = await tokenFor(emulator, agent);
}

async function send(...operations: unknown[]) {
  const result = await upload(emulator, agent, token, operations);
  expect(result.status).toBe(202);
}

const logsOf = (externalId: string): Entry[] =>
  (emulator.provisioningLogs(jobId) as Entry[]).filter(
    (entry) => entry.sourceIdentity.id === externalId,
  );
const stepNames = (entry: Entry) => entry.provisioningSteps.map((step: Entry) => step.name);

afterEach(async () => {
  await agent.close();
  await emulator.stop();
});

describe('a provisioning cycle', () => {
  it('ends the seed request with Kathy managed by Barbara, logging the skip and the follow-up', async () => {
    await start();
    await send(...seedOperations);
    const reports = await emulator.runCycle();
    expect(reports).toEqual([
      expect.objectContaining({
        operations: 2,
        created: 2,
        referencesResolved: 1,
        referencesUnresolved: 1,
      }),
    ]);

    const barbara = emulator.user('701984')!;
    const kathy = emulator.user('701985')!;
    expect(kathy.manager).toEqual({ id: barbara.id, employeeId: '701984' });
    expect(barbara.manager).toBeNull();
    expect(kathy.attributes).toMatchObject({
      userPrincipalName: 'kjensen@contoso.test',
      accountEnabled: true,
      jobTitle: 'Tour Lead',
      department: 'Tour Operations',
      companyName: 'Universal Studios',
    });

    const [kathyCreate, kathyFollowUp, ...more] = logsOf('701985');
    expect(more).toEqual([]);
    expect(kathyCreate).toMatchObject({
      provisioningAction: 'create',
      provisioningStatusInfo: { status: 'success' },
    });
    expect(stepNames(kathyCreate)).toEqual([
      'EntryImportAdd',
      'EntrySynchronizationScoping',
      'EntrySynchronizationAdd',
      'EntrySynchronizationSkip',
      'EntryExportAdd',
    ]);
    expect(kathyCreate.provisioningSteps[3].details).toEqual({
      '701984': 'manager Add',
      PropertyName: 'manager',
      SkipReason: 'UnableToResolveReferenceAttributeValue',
    });
    expect(kathyCreate.provisioningSteps[0].details).toMatchObject({
      externalId: '701985',
      namegivenName: 'Kathy',
      urnietfparamsscimschemasextensionenterprise20Usermanager: '701984',
    });
    expect(kathyFollowUp).toMatchObject({
      provisioningAction: 'update',
      changeId: kathyCreate.changeId,
      cycleId: kathyCreate.cycleId,
      targetIdentity: { id: kathy.id },
      modifiedProperties: [{ displayName: 'manager', oldValue: null, newValue: barbara.id }],
    });
    expect(stepNames(kathyFollowUp)).toEqual(['EntryExportUpdate']);

    // Barbara's manager 89607 was never processed by the job: a skip and no follow-up.
    const barbaraLogs = logsOf('701984');
    expect(barbaraLogs).toHaveLength(1);
    expect(barbaraLogs[0]!.provisioningSteps[3].details.SkipReason).toBe(
      'UnableToResolveReferenceAttributeValue',
    );
  });

  it('updates only what changed, and logs an unchanged record as skipped', async () => {
    await start();
    await send(userOperation('100', { title: 'Engineer', [enterprise]: { department: 'R&D' } }));
    await emulator.runCycle();
    await send(userOperation('100', { title: 'Lead Engineer' }));
    await send(userOperation('100', { title: 'Lead Engineer' }));
    await emulator.waitForIdle();

    const [, update, unchanged] = logsOf('100');
    expect(update.provisioningAction).toBe('update');
    expect(stepNames(update)).toEqual([
      'EntryImportAdd',
      'EntryImport',
      'EntrySynchronizationScoping',
      'EntryExportUpdate',
    ]);
    expect(update.modifiedProperties).toEqual([
      { displayName: 'jobTitle', oldValue: 'Engineer', newValue: 'Lead Engineer' },
    ]);
    expect(unchanged).toMatchObject({
      provisioningAction: 'other',
      provisioningStatusInfo: { status: 'skipped' },
    });
    // The enterprise extension was absent from the updates: department is left alone.
    expect(emulator.user('100')!.attributes.department).toBe('R&D');
  });

  it('disables on active:false and treats an absent active as true', async () => {
    await start();
    await send(userOperation('200'));
    await emulator.runCycle();
    await send(userOperation('200', { active: false }));
    await emulator.runCycle();
    expect(emulator.user('200')!.accountEnabled).toBe(false);
    expect(logsOf('200')[1]).toMatchObject({
      provisioningAction: 'disable',
      modifiedProperties: [{ displayName: 'accountEnabled', oldValue: 'True', newValue: 'False' }],
    });

    await send(userOperation('200'));
    await emulator.runCycle();
    expect(emulator.user('200')!.accountEnabled).toBe(true);
  });

  it('clears flow-null attributes on null, "" or omission, and ignores nulls elsewhere', async () => {
    await start({ flowNullAttributes: ['jobTitle', 'department', 'mail'] });
    const full = {
      title: 'Engineer',
      userType: 'Employee',
      emails: [{ type: 'work', value: 'u300@contoso.test' }],
      [enterprise]: { department: 'R&D' },
    };
    await send(userOperation('300', full), userOperation('301', full), userOperation('302', full));
    await emulator.runCycle();

    await send(
      userOperation('300', { title: null, userType: null }),
      userOperation('301', { title: '', emails: [{ type: 'work' }] }),
      // Omitted title: cleared. Enterprise extension absent: department is not touched.
      userOperation('302', {}),
    );
    await emulator.runCycle();

    const u300 = emulator.user('300')!.attributes;
    expect(u300.jobTitle).toBeUndefined();
    expect(u300.employeeType).toBe('Employee');
    const u301 = emulator.user('301')!.attributes;
    expect(u301.jobTitle).toBeUndefined();
    expect(u301.mail).toBeUndefined();
    const u302 = emulator.user('302')!.attributes;
    expect(u302.jobTitle).toBeUndefined();
    expect(u302.department).toBe('R&D');
    // The whole emails collection was absent, so its work element's value is not "omitted".
    expect(u302.mail).toBe('u300@contoso.test');
  });

  it('without flow-null, a null or empty value leaves the attribute alone', async () => {
    await start();
    await send(userOperation('310', { title: 'Engineer' }));
    await emulator.runCycle();
    await send(userOperation('310', { title: null }), userOperation('310', { title: '' }));
    await emulator.runCycle();
    expect(emulator.user('310')!.attributes.jobTitle).toBe('Engineer');
  });

  it('fails the create of a duplicate userName with errorInformation', async () => {
    await start();
    await send(
      userOperation('400', { userName: 'same@contoso.test' }),
      userOperation('401', { userName: 'same@contoso.test' }),
    );
    const [report] = await emulator.runCycle();
    expect(report).toMatchObject({ created: 1, failed: 1 });
    expect(emulator.user('401')).toBeUndefined();
    const [failure] = logsOf('401');
    expect(failure).toMatchObject({
      provisioningAction: 'create',
      provisioningStatusInfo: {
        status: 'failure',
        errorInformation: { errorCode: expect.any(String), reason: expect.any(String) },
      },
    });
    expect(failure.provisioningSteps.at(-1)).toMatchObject({
      name: 'EntryExportAdd',
      status: 'failure',
    });
  });

  it('processes two operations for one externalId in one cycle as separate changes, in order', async () => {
    await start();
    await send(userOperation('500', { title: 'First' }), userOperation('500', { title: 'Second' }));
    await emulator.runCycle();
    const [create, update] = logsOf('500');
    expect(create.provisioningAction).toBe('create');
    expect(update.provisioningAction).toBe('update');
    expect(update.changeId).not.toBe(create.changeId);
    expect(update.cycleId).toBe(create.cycleId);
    expect(emulator.user('500')!.attributes.jobTitle).toBe('Second');
  });

  it('never resolves a manager the job has not processed, even if the directory has it', async () => {
    await start({}, [{ employeeId: '900', userPrincipalName: 'boss@contoso.test' }]);
    await send(userOperation('600', { [enterprise]: { manager: { value: '900' } } }));
    const [report] = await emulator.runCycle();
    expect(report!.referencesUnresolved).toBe(1);
    expect(emulator.user('600')!.manager).toBeNull();
  });

  it('does not retry pending references in later cycles by default', async () => {
    await start();
    await send(userOperation('700', { [enterprise]: { manager: { value: '701' } } }));
    await emulator.runCycle();
    await send(userOperation('701'));
    await emulator.runCycle();
    expect(emulator.user('700')!.manager).toBeNull();
  });

  it('retries pending references in later cycles when configured to', async () => {
    await start({ retryPendingReferences: true });
    await send(userOperation('700', { [enterprise]: { manager: { value: '701' } } }));
    await emulator.runCycle();
    await send(userOperation('701'));
    await emulator.runCycle();
    const manager = emulator.user('701')!;
    expect(emulator.user('700')!.manager).toEqual({ id: manager.id, employeeId: '701' });
    const followUp = logsOf('700').at(-1)!;
    expect(followUp.changeId).toBe(logsOf('700')[0]!.changeId);
    expect(followUp.cycleId).not.toBe(logsOf('700')[0]!.cycleId);
  });

  it('on an update, writes a manager the job already knows in the same entry', async () => {
    await start();
    await send(userOperation('800'), userOperation('801'));
    await emulator.runCycle();
    await send(userOperation('801', { [enterprise]: { manager: { value: '800' } } }));
    await emulator.runCycle();
    const update = logsOf('801').at(-1)!;
    expect(stepNames(update)).not.toContain('EntrySynchronizationSkip');
    expect(update.modifiedProperties).toEqual([
      { displayName: 'manager', oldValue: null, newValue: emulator.user('800')!.id },
    ]);
  });
});

describe('job states', () => {
  it('stages uploads on a paused job and processes them once it is started', async () => {
    await start({ state: 'Paused' });
    await send(userOperation('1000'));
    expect(await emulator.runCycle()).toEqual([]);
    expect(emulator.user('1000')).toBeUndefined();

    expect(emulator.setJobState(jobId, 'Active')).toBe(true);
    await emulator.waitForIdle();
    expect(emulator.user('1000')).toBeDefined();
  });

  it('stages on a NotRun job too, and runs cycles on a timer once active', async () => {
    const config = testConfig({ cycles: { intervalMs: 20 } });
    config.tenants[0]!.servicePrincipals![0]!.jobs![0]!.state = 'NotRun';
    emulator = await startEmulator(config);
    agent = agentFor(emulator);
    token = await tokenFor(emulator, agent);
    await send(userOperation('1100'));
    expect((emulator.job(jobId)!.status as { code: string }).code).toBe('NotRun');

    emulator.setJobState(jobId, 'Active');
    while (!emulator.user('1100')) await new Promise((resolve) => setTimeout(resolve, 10));
    const status = emulator.job(jobId)!.status as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(status.code).toBe('Active');
    expect(status.lastExecution).toMatchObject({ state: 'Succeeded', countImported: 1 });
  });
});
