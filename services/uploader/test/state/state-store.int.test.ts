import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  Producer,
  createKafkaClient,
  ensureTopics,
  inNamespace,
  type Kafka,
} from '@tributary/kafka';
import type { ScimUser } from '../../src/mapping/index.ts';
import { uploaderStateTopic } from '../../src/records/uploader-state.ts';
import { StateStore } from '../../src/state/state-store.ts';
import { brokers, testNamespace } from '../support/kafka.ts';

const job = 'workers';
const workers = 20_000;

function digestOf(n: number, round: number): string {
  return `digest-${round}-${n}`.padEnd(43, '-');
}

function report(externalId: string): ScimUser {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], externalId };
}

describe('StateStore against a real broker', () => {
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(() => {
    kafka = createKafkaClient({ brokers: brokers(), clientId: 'test-state-store' });
    producer = new Producer(kafka);
  });

  afterAll(async () => {
    await producer.disconnect();
  });

  test('a restarted replica knows each worker, waiting report and quota hour', async () => {
    const topic = inNamespace(uploaderStateTopic, testNamespace());
    await ensureTopics(kafka, {
      replicationFactor: 1,
      specs: [{ ...topic.spec, config: { ...topic.spec.config, 'min.insync.replicas': '1' } }],
    });
    const store = (instanceId: string) => new StateStore({ kafka, producer, topic, instanceId });

    // Step 1: a first life writes every worker twice (the second digest must win), a report
    // waiting for a manager never sent, and its quota.
    const first = store('replica-a');
    await first.start();
    for (const round of [1, 2]) {
      for (let from = 0; from < workers; from += 1_000) {
        const batch = Array.from({ length: 1_000 }, (_, i) => ({
          externalId: `E${from + i}`,
          digest: digestOf(from + i, round),
          acceptedAt: new Date().toISOString(),
        }));
        await first.accepted(job, batch, { tenant: 'contoso', hours: { '2026-12-03T18': round } });
      }
    }
    await first.accepted(job, [
      {
        externalId: 'R1',
        digest: digestOf(-1, 1),
        acceptedAt: new Date().toISOString(),
        awaitingManager: 'M1',
        user: report('R1'),
      },
    ]);
    await first.stop();

    // Step 2: the same replica after a restart, reading the topic from the beginning.
    const second = store('replica-a');
    await second.start();
    try {
      const state = second.job(job);
      expect(state.knownWorkers).toBe(workers + 1);
      const stale: string[] = [];
      for (let n = 0; n < workers; n++) {
        if (state.digest(`E${n}`) !== digestOf(n, 2)) stale.push(`E${n}`);
      }
      expect(stale).toEqual([]);
      expect(state.unresolvedManagers).toBe(1);
      expect(state.wasSent('M1')).toBe(false);
      expect(second.ownQuotaHours('contoso')).toEqual({ '2026-12-03T18': 2 });

      // Once the manager is sent, the report is handed over with its payload.
      await second.accepted(job, [
        { externalId: 'M1', digest: digestOf(-2, 1), acceptedAt: new Date().toISOString() },
      ]);
      expect(state.waitingForSentManagers()).toEqual(['M1']);
      expect([...state.takeWaitingReports('M1').entries()]).toEqual([['R1', report('R1')]]);
    } finally {
      await second.stop();
    }
  });

  test("each replica follows the others' quota calls as made, not only at start", async () => {
    const topic = inNamespace(uploaderStateTopic, testNamespace());
    await ensureTopics(kafka, {
      replicationFactor: 1,
      specs: [{ ...topic.spec, config: { ...topic.spec.config, 'min.insync.replicas': '1' } }],
    });
    const a = new StateStore({ kafka, producer, topic, instanceId: 'replica-a' });
    const b = new StateStore({ kafka, producer, topic, instanceId: 'replica-b' });
    await a.start();
    await b.start();
    try {
      const hour = String(Date.parse('2026-12-03T18:00:00Z'));
      const seenByA = () => [...a.otherQuotaHours('contoso')];
      expect(seenByA()).toEqual([]);

      const worker = { externalId: 'E1', digest: digestOf(1, 1), acceptedAt: hour };
      await b.accepted(job, [worker], { tenant: 'contoso', hours: { [hour]: 7 } });
      await waitUntil(() => seenByA().length === 1);
      expect(seenByA()).toEqual([{ [hour]: 7 }]);
      // A replica's own calls are not "other" calls.
      expect([...b.otherQuotaHours('contoso')]).toEqual([]);

      await b.accepted(job, [worker], { tenant: 'contoso', hours: { [hour]: 9 } });
      await waitUntil(() => seenByA()[0]?.[hour] === 9);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
