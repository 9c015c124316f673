import { describe, expect, test } from '@jest/globals';
import type { Settlement } from '../../src/batching/pending-ops.ts';
import { JobUploader, type BatchSettings } from '../../src/delivery/job-uploader.ts';
import type { BulkOutcome } from '../../src/graph/bulk-client.ts';
import { scimDigest, serializeUser, type ScimUser } from '../../src/mapping/index.ts';
import { TenantPacer } from '../../src/pacing/tenant-pacer.ts';
import type { UploadResult } from '../../src/records/upload-result.ts';
import { JobState } from '../../src/state/job-state.ts';
import { ManualClock } from '../support/manual-clock.ts';

const core = 'urn:ietf:params:scim:schemas:core:2.0:User';
const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function user(externalId: string, title = 'Engineer', manager?: string): ScimUser {
  return {
    schemas: [core, enterprise],
    externalId,
    userName: `${externalId}@contoso.example`,
    title,
    ...(manager ? { [enterprise]: { manager: { value: manager } } } : {}),
  };
}

interface Call {
  at: number;
  externalIds: string[];
}

/**
 * Wires a JobUploader to a scripted Entra answer: the transport boundary only; integration tests
 * run the same class against the emulator over HTTP.
 */
function harness(
  options: {
    settings?: Partial<BatchSettings>;
    answer?: (call: Call, n: number) => BulkOutcome | Promise<BulkOutcome>;
    /** Calls the client makes again on its own after a 401, as the Graph client does. */
    reauthorize?: (n: number) => boolean;
  } = {},
) {
  const clock = new ManualClock();
  const pacer = new TenantPacer(
    { callsPerWindow: 40, windowMs: 5_000, dailyQuota: 2_000, lowBudgetFraction: 0.1 },
    clock,
  );
  const state = new JobState();
  const calls: Call[] = [];
  const results: UploadResult[] = [];
  const deadLetters: {
    externalId?: string | null;
    offset?: string;
    code: string;
    reason: string;
  }[] = [];
  const persisted: { externalId: string; awaitingManager?: string }[] = [];
  const accepted: BulkOutcome = {
    kind: 'accepted',
    status: 202,
    requestId: 'r',
    clientRequestId: 'c',
  };

  const uploader = new JobUploader({
    target: { key: 'contoso-workers', tenant: 'contoso', servicePrincipalId: 'sp', jobId: 'job' },
    upload: async (body, _id, _about, beforeRetry) => {
      if (options.reauthorize?.(calls.length + 1)) {
        calls.push({ at: clock.now(), externalIds: [] });
        await beforeRetry();
      }
      const parsed = JSON.parse(body.toString('utf8')) as { Operations: { data: ScimUser }[] };
      const call = {
        at: clock.now(),
        externalIds: parsed.Operations.map((op) => op.data.externalId),
      };
      calls.push(call);
      return (await options.answer?.(call, calls.length)) ?? accepted;
    },
    pacer,
    state,
    store: {
      accepted: async (_job, workers) => {
        for (const worker of workers) {
          persisted.push(worker);
          state.accept(worker.externalId, worker.digest, worker.awaitingManager, worker.user);
        }
      },
    },
    sink: {
      deadLetter: async (record, code, reason) => {
        deadLetters.push({ externalId: record?.key, offset: record?.offset, code, reason });
      },
      result: async (result) => {
        results.push(result);
      },
    },
    clock,
    settings: {
      maxOperations: 50,
      lingerMs: 1_000,
      lowBudgetLingerMs: 60_000,
      maxConcurrentRequests: 1,
      ...options.settings,
    },
    backoff: { baseMs: 1_000, capMs: 60_000 },
  });

  const submit = (scim: ScimUser, partition = 0, offset = '0') =>
    new Promise<Settlement>((settle, handBack) => {
      uploader.submit({
        externalId: scim.externalId,
        ...serializeUser(scim),
        managerId: (scim[enterprise] as { manager?: { value: string } } | undefined)?.manager
          ?.value,
        partition,
        record: { topic: 't', partition, offset, key: scim.externalId, raw: null },
        waiter: { settle, handBack },
      });
    });

  uploader.start();
  return { clock, pacer, state, calls, results, deadLetters, persisted, uploader, submit };
}

describe('JobUploader', () => {
  test('a full batch goes at once; a partial one after the linger time', async () => {
    const h = harness();
    const full = Array.from({ length: 50 }, (_, n) => h.submit(user(`w${n}`)));
    await h.clock.advance(0);
    expect(h.calls).toHaveLength(1);
    expect(await Promise.all(full)).toEqual(Array(50).fill('accepted'));

    const partial = h.submit(user('late'));
    await h.clock.advance(999);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    expect(await partial).toBe('accepted');
    expect(h.calls[1]?.externalIds).toEqual(['late']);
  });

  test('several events of one worker become one operation with the newest snapshot', async () => {
    const h = harness();
    const first = h.submit(user('42', 'Engineer'));
    const second = h.submit(user('42', 'Senior Engineer'));
    const other = h.submit(user('43'));

    await h.clock.advance(1_000);

    expect(h.calls).toEqual([{ at: expect.any(Number), externalIds: ['42', '43'] }]);
    expect(await Promise.all([first, second, other])).toEqual(['accepted', 'accepted', 'accepted']);
    expect(h.state.digest('42')).toBe(scimDigest(user('42', 'Senior Engineer')));
    expect(h.results[0]).toMatchObject({
      job: 'contoso-workers',
      externalIds: ['42', '43'],
      attempts: 1,
    });
  });

  test('a snapshot equal to the last accepted one is not uploaded again', async () => {
    const h = harness();
    await Promise.all([h.submit(user('7')), h.clock.advance(1_000)]);

    const again = h.submit(user('7'));
    await h.clock.advance(1_000);

    expect(await again).toBe('unchanged');
    expect(h.calls).toHaveLength(1);
    // The slot taken for a batch that turned out unchanged is given back.
    expect(h.pacer.usage().used).toBe(1);

    const changed = h.submit(user('7', 'Manager'));
    await h.clock.advance(1_000);
    expect(await changed).toBe('accepted');
    expect(h.calls).toHaveLength(2);
  });

  test('managers go before or with reports; a report of an unsent manager goes again', async () => {
    const h = harness({ settings: { maxOperations: 2 } });
    // Reports first, as an HR export might deliver them.
    const kathy = h.submit(user('kathy', 'Engineer', 'barbara'));
    const ann = h.submit(user('ann', 'Engineer', 'kathy'));
    const barbara = h.submit(user('barbara', 'Director'));
    await h.clock.advance(1_000);

    expect(h.calls.map((c) => c.externalIds)).toEqual([['barbara', 'kathy'], ['ann']]);
    expect(await Promise.all([kathy, ann, barbara])).toEqual(['accepted', 'accepted', 'accepted']);
    expect(h.state.unresolvedManagers).toBe(0);

    const orphan = h.submit(user('olga', 'Engineer', 'ceo'));
    await h.clock.advance(1_000);
    expect(await orphan).toBe('accepted');
    expect(h.state.unresolvedManagers).toBe(1);
    expect(h.persisted.at(-1)).toMatchObject({ externalId: 'olga', awaitingManager: 'ceo' });

    await Promise.all([h.submit(user('ceo', 'CEO')), h.clock.advance(1_000)]);
    await h.clock.advance(1_000);

    expect(h.calls.slice(2).map((c) => c.externalIds)).toEqual([['olga'], ['ceo'], ['olga']]);
    expect(h.state.unresolvedManagers).toBe(0);
  });

  test('a 429 with Retry-After is honoured; without it the wait backs off', async () => {
    const h = harness({
      answer: (_call, n) =>
        n === 1
          ? {
              kind: 'retry',
              status: 429,
              retryAfterMs: 30_000,
              code: 'TooManyRequests',
              message: '',
            }
          : n === 2
            ? {
                kind: 'retry',
                status: 429,
                retryAfterMs: undefined,
                code: 'TooManyRequests',
                message: '',
              }
            : { kind: 'accepted', status: 202, requestId: 'r', clientRequestId: 'c' },
    });
    const done = h.submit(user('1'));
    await h.clock.advance(1_000);
    await h.clock.advance(29_999);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.calls).toHaveLength(2);
    await h.clock.advance(60_000);

    expect(await done).toBe('accepted');
    expect(h.calls).toHaveLength(3);
    expect(h.results[0]?.attempts).toBe(3);
  });

  test('a 400 is split until the bad record stands alone; the rest go through', async () => {
    const bad = new Set(['w13']);
    const h = harness({
      answer: (call) =>
        call.externalIds.some((id) => bad.has(id))
          ? { kind: 'rejected', status: 400, code: 'BadRequest', message: 'Invalid Data Format' }
          : { kind: 'accepted', status: 202, requestId: 'r', clientRequestId: 'c' },
    });
    const settled = Array.from({ length: 20 }, (_, n) => h.submit(user(`w${n}`)));
    await h.clock.advance(1_000);
    await h.clock.advance(5_000);

    const outcomes = await Promise.all(settled);
    expect(outcomes.filter((o) => o === 'dead-lettered')).toHaveLength(1);
    expect(outcomes[13]).toBe('dead-lettered');
    expect(h.deadLetters).toEqual([
      {
        externalId: 'w13',
        offset: '0',
        code: 'ENTRA_REJECTED',
        reason: 'bulkUpload answered 400 BadRequest',
      },
    ]);
    expect(h.results.flatMap((r) => r.externalIds).sort()).toHaveLength(19);
  });

  test("the client's retry after a 401 takes a pacer slot and counts as an attempt", async () => {
    const h = harness({ reauthorize: (n) => n === 1 });
    const done = h.submit(user('w1'));
    await h.clock.advance(1_000);

    expect(await done).toBe('accepted');
    expect(h.calls).toHaveLength(2);
    expect(h.pacer.usage().used).toBe(2);
    expect(h.results[0]?.attempts).toBe(2);
  });

  test('a refused worker takes the older records it superseded to dead letters', async () => {
    const h = harness({
      answer: () => ({ kind: 'rejected', status: 400, code: 'BadRequest', message: 'refused' }),
    });
    const older = h.submit(user('w1', 'Clerk'), 0, '4');
    const newer = h.submit(user('w1', 'Lead'), 0, '9');
    await h.clock.advance(1_000);

    expect(await Promise.all([older, newer])).toEqual(['dead-lettered', 'dead-lettered']);
    expect(h.calls).toHaveLength(1);
    expect(h.deadLetters.map((letter) => letter.offset)).toEqual(['9', '4']);
  });

  test('withdrawing a partition hands its waiting records back; stop hands the rest', async () => {
    const h = harness();
    const fromOne = h.submit(user('a'), 1);
    const fromTwo = h.submit(user('b'), 2);

    h.uploader.withdraw(1);
    await expect(fromOne).rejects.toThrow('handed back');

    await h.uploader.stop(1_000);
    await expect(fromTwo).rejects.toThrow('handed back');
    expect(h.calls).toHaveLength(0);
  });

  test('a worker is never in two requests at once', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const accepted: BulkOutcome = {
      kind: 'accepted',
      status: 202,
      requestId: 'r',
      clientRequestId: 'c',
    };
    const h = harness({
      settings: { maxConcurrentRequests: 4 },
      answer: async (_call, n) => {
        if (n === 1) await gate;
        return accepted;
      },
    });
    const first = h.submit(user('x', 'v1'));
    await h.clock.advance(1_000);
    const second = h.submit(user('x', 'v2'));
    const other = h.submit(user('y'));
    await h.clock.advance(1_000);

    expect(h.calls.map((c) => c.externalIds)).toEqual([['x'], ['y']]);
    release();
    await h.clock.advance(1_000);

    expect(await Promise.all([first, second, other])).toEqual(['accepted', 'accepted', 'accepted']);
    expect(h.calls.map((c) => c.externalIds)).toEqual([['x'], ['y'], ['x']]);
    expect(h.state.digest('x')).toBe(scimDigest(user('x', 'v2')));
  });
});
