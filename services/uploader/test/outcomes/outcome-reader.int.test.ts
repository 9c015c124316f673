import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { EntraEmulator } from '@tributary/entra-emulator';
import { Secret } from '@tributary/config';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { Agent } from 'undici';
import { createCredential } from '../../src/auth/credentials.ts';
import { IdentityTokenSource } from '../../src/auth/token-source.ts';
import { systemClock } from '../../src/clock.ts';
import { BulkClient } from '../../src/graph/bulk-client.ts';
import { bulkRequestBody } from '../../src/graph/bulk-request.ts';
import { ProvisioningLogClient, type LogPage } from '../../src/graph/provisioning-log-client.ts';
import { compileMapping, serializeUser } from '../../src/mapping/index.ts';
import { OutcomeReader } from '../../src/outcomes/outcome-reader.ts';
import type { ProvisioningOutcome } from '../../src/records/provisioning-outcome.ts';
import { ids, startEntra } from '../support/entra.ts';
import { eventually } from '../support/kafka.ts';

const mapper = compileMapping(undefined, '/test');
const job = {
  key: 'contoso-workers',
  servicePrincipalId: ids.servicePrincipalId,
  jobId: ids.jobId,
};

let emulator: EntraEmulator;
let tokens: IdentityTokenSource;
let dispatcher: Agent;

beforeAll(async () => {
  emulator = await startEntra({}, [
    'SynchronizationData-User.Upload.OwnedBy',
    'ProvisioningLog.Read.All',
  ]);
  tokens = tokenSource();
  dispatcher = new Agent({ connect: { ca: emulator.caCertPem } });
});

afterAll(async () => {
  await dispatcher.close();
  await emulator.stop();
});

function tokenSource(): IdentityTokenSource {
  return new IdentityTokenSource(() =>
    createCredential(
      { kind: 'clientSecret', clientId: ids.appId, secret: new Secret(ids.secret) },
      { tenantId: ids.tenantId, authorityHost: emulator.authorityHost, ca: emulator.caCertPem },
    ),
  );
}

/** Uploads these workers through the real bulk client; `userName` overrides make bad records. */
async function upload(...workers: { employeeId: string; userName?: string }[]): Promise<void> {
  const operations = workers.map(({ employeeId, userName }) => {
    const event = sampleWorkerEvent({ employeeId });
    if (userName !== undefined) event.worker.userName = userName;
    const mapped = mapper.map(event);
    if (!mapped.ok) throw new Error(mapped.reason);
    return { externalId: mapped.user.externalId, ...serializeUser(mapped.user) };
  });
  const client = new BulkClient({
    target: {
      graphBaseUrl: emulator.graphUrl,
      apiVersion: 'v1.0',
      servicePrincipalId: ids.servicePrincipalId,
      jobId: ids.jobId,
    },
    tokens,
    dispatcher,
  });
  const outcome = await client.upload(bulkRequestBody(operations));
  expect(outcome.kind).toBe('accepted');
}

/** A reader of the emulator's logs (or `logs`) that publishes into an array. */
function reader(options: { pageSize?: number; logs?: ProvisioningLogClient } = {}) {
  const published: ProvisioningOutcome[] = [];
  const reads: { job: string; outcome: LogPage['kind']; status: number; code?: string }[] = [];
  const outcomes = new OutcomeReader({
    job,
    logs:
      options.logs ??
      new ProvisioningLogClient({
        graphBaseUrl: emulator.graphUrl,
        apiVersion: 'v1.0',
        tokens,
        dispatcher,
      }),
    publish: async (batch) => {
      published.push(...batch);
    },
    clock: systemClock,
    pollMs: 60_000,
    lookbackMs: 10 * 60_000,
    backoff: { baseMs: 100, capMs: 1_000 },
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    events: { read: (info) => reads.push(info) },
  });
  return { outcomes, published, reads };
}

describe('OutcomeReader against the emulator', () => {
  test('publishes what Entra did with each record, once, following every page', async () => {
    await upload(
      { employeeId: 'OK1' },
      { employeeId: 'OK2' },
      { employeeId: 'OK3' },
      { employeeId: 'BAD1', userName: 'no at sign' },
    );
    await emulator.waitForIdle();
    const { outcomes, published, reads } = reader({ pageSize: 2 });

    await eventually('four entries', async () => {
      await outcomes.poll();
      return published.length >= 4;
    });

    const byWorker = Object.fromEntries(published.map((o) => [o.externalId, o]));
    for (const id of ['OK1', 'OK2', 'OK3']) {
      expect(byWorker[id]).toMatchObject({
        job: 'contoso-workers',
        jobId: ids.jobId,
        action: 'create',
        status: 'success',
        error: null,
        targetId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
    expect(byWorker.BAD1).toMatchObject({
      status: 'failure',
      error: {
        code: 'AzureActiveDirectoryInvalidUserPrincipalName',
        category: 'NonServiceFailure',
      },
    });
    // Four entries at two a page: the next links were followed.
    expect(reads.filter((read) => read.outcome === 'page').length).toBeGreaterThanOrEqual(2);

    // Read again: nothing new, nothing twice.
    expect(await outcomes.poll()).toBe(0);
    expect(new Set(published.map((o) => o.logId)).size).toBe(published.length);
  });

  test('an entry Entra writes late, with an earlier time, is still read back', async () => {
    const { outcomes, published } = reader();
    await outcomes.poll();
    const before = published.length;
    emulator.configure({ provisioningLogs: { visibilityDelayMs: 1_500 } });
    try {
      await upload({ employeeId: 'LATE1' });
      await emulator.waitForIdle();
      // Processed, but not in the log yet.
      await outcomes.poll();
      expect(published.some((o) => o.externalId === 'LATE1')).toBe(false);

      await eventually('the late entry', async () => {
        await outcomes.poll();
        return published.some((o) => o.externalId === 'LATE1');
      });
      expect(published.length).toBe(before + 1);
    } finally {
      emulator.configure({ provisioningLogs: { visibilityDelayMs: 0 } });
    }
  });

  test('without the permission to read logs, reads are refused and nothing is published', async () => {
    const uploadOnly = await startEntra();
    const agent = new Agent({ connect: { ca: uploadOnly.caCertPem } });
    try {
      const { outcomes, published, reads } = reader({
        logs: new ProvisioningLogClient({
          graphBaseUrl: uploadOnly.graphUrl,
          apiVersion: 'v1.0',
          dispatcher: agent,
          tokens: new IdentityTokenSource(() =>
            createCredential(
              { kind: 'clientSecret', clientId: ids.appId, secret: new Secret(ids.secret) },
              {
                tenantId: ids.tenantId,
                authorityHost: uploadOnly.authorityHost,
                ca: uploadOnly.caCertPem,
              },
            ),
          ),
        }),
      });

      expect(await outcomes.poll()).toBe(0);
      expect(published).toEqual([]);
      expect(reads).toEqual([
        { job: 'contoso-workers', outcome: 'refused', status: 403, code: expect.any(String) },
      ]);
    } finally {
      await agent.close();
      await uploadOnly.stop();
    }
  });
});
