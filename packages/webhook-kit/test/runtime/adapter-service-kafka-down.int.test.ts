import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { startKafka, type KafkaCluster } from '@tributary/kafka-broker';
import { createKafkaClient, typedTopic, workerEventCodec, type Kafka } from '@tributary/kafka';
import { createAdapterService, resolveConnections, type AdapterService } from '../../src/index.ts';
import { createTestTopics, readRecords, waitFor, type TestTopics } from '../../src/testing.ts';
import { directoryAdapter, signDirectory } from '../fixtures/directory-adapter.ts';
import {
  startDirectoryApiStandIn,
  type DirectoryApiStandIn,
} from '../fixtures/directory-api-stand-in.ts';

// A broker of its own: this test stops it, which would break every other suite sharing one.
let cluster: KafkaCluster;
let kafka: Kafka;
let topics: TestTopics;
let api: DirectoryApiStandIn;
let service: AdapterService | undefined;
const secret = 'directory-secret';

beforeAll(async () => {
  cluster = await startKafka();
  kafka = createKafkaClient({
    clientId: 'kafka-down-test',
    brokers: [...cluster.brokers],
    connectionTimeoutMs: 1_000,
  });
  topics = await createTestTopics(kafka, 'kafka-down');
  api = await startDirectoryApiStandIn();
  api.titles.set('late-1', 'Engineer');
}, 120_000);

afterAll(async () => {
  await service?.close(2_000);
  await api?.close();
  await cluster?.stop();
}, 60_000);

it('starts without Kafka, answers 503 and not ready, and joins once Kafka is back', async () => {
  const node = cluster.nodes[0]!.nodeId;
  await cluster.stopBroker(node);

  const joinFailures: string[] = [];
  const connections = resolveConnections(
    [
      {
        id: 'dir',
        system: 'directory',
        tenantId: 't',
        secrets: [{ env: 'S' }],
        hydration: { baseUrl: api.baseUrl, mode: 'deferred' },
      },
    ],
    { system: 'directory' },
    'test',
    { S: secret },
  );
  service = createAdapterService({
    serviceName: `adapter-directory-${randomUUID()}`,
    adapter: directoryAdapter,
    connections,
    kafka,
    topics,
    kafkaSendTimeoutMs: 2_000,
    hydrationEvents: { onJoinFailed: ({ code }) => joinFailures.push(code) },
  });
  const base = `http://127.0.0.1:${(await service.start({ port: 0 })).port}`;

  const body = JSON.stringify({ employeeId: 'late-1' });
  const deliver = () =>
    fetch(`${base}/webhooks/dir`, { method: 'POST', headers: signDirectory(secret, body), body });
  const refused = await deliver();
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
    'KAFKA_UNAVAILABLE',
  );
  const notReady = await fetch(`${base}/readyz`);
  expect(notReady.status).toBe(503);
  expect(await notReady.json()).toMatchObject({ status: 'unavailable', kafka: false });
  // The hydration consumer keeps trying in the background; the process is still serving.
  await waitFor('a failed join reported', () => joinFailures.length > 0, 60_000);
  expect(joinFailures[0]).toBe('KAFKA_UNAVAILABLE');
  const health = await fetch(`${base}/healthz`);
  expect(health.status).toBe(200);
  // Idle connections outlive a load balancer's (60 s), so it never sends on one just closed.
  expect(health.headers.get('keep-alive')).toBe('timeout=65');

  await cluster.startBroker(node);
  await waitFor('ready once Kafka is back', async () => (await fetch(`${base}/readyz`)).ok, 60_000);

  // The sender retries its delivery; the hydration worker, joined meanwhile, completes it.
  let answer = await deliver();
  await waitFor(
    'the delivery accepted',
    async () => {
      if (answer.status === 503) answer = await deliver();
      return answer.status !== 503;
    },
    60_000,
  );
  expect(answer.status).toBe(202);
  const [event] = await readRecords(
    kafka,
    typedTopic(topics.workerEvents, workerEventCodec),
    1,
    60_000,
  );
  expect(event!.value).toMatchObject({
    idempotencyKey: expect.stringMatching(/^dir:sha256:/),
    worker: { employeeId: 'late-1', job: { title: 'Engineer' } },
  });
}, 180_000);
