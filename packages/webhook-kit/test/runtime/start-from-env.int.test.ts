import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import {
  createKafkaClient,
  ensureTopics,
  inNamespace,
  topics,
  typedTopic,
  workerEventCodec,
  type Kafka,
} from '@tributary/kafka';
import { adapterFromEnv, rawDeliveriesTopic, type ConfiguredAdapter } from '../../src/index.ts';
import { countRecords, readRecords, waitFor } from '../../src/testing.ts';
import { directoryAdapter, signDirectory } from '../fixtures/directory-adapter.ts';
import {
  startDirectoryApiStandIn,
  type DirectoryApiStandIn,
} from '../fixtures/directory-api-stand-in.ts';

const namespace = `test-${randomUUID().slice(0, 8)}`;
const secret = 'directory-secret';
let kafka: Kafka;
let api: DirectoryApiStandIn;
let folder: string;
let configured: ConfiguredAdapter;

beforeAll(async () => {
  const brokers = process.env['KAFKA_BROKERS']!;
  kafka = createKafkaClient({ clientId: 'start-from-env-test', brokers: brokers.split(',') });
  const specs = [topics.workerEvents, topics.rawDeliveries, topics.deadLetter].map(
    (spec) => inNamespace(typedTopic(spec, workerEventCodec), namespace).spec,
  );
  await ensureTopics(kafka, { replicationFactor: 1, partitions: 3, specs });

  api = await startDirectoryApiStandIn();
  api.titles.set('ns-1', 'Engineer');
  folder = await mkdtemp(join(tmpdir(), 'start-from-env-'));
  const connectionsFile = join(folder, 'connections.yaml');
  await writeFile(
    connectionsFile,
    [
      'connections:',
      '  - id: dir',
      '    system: directory',
      '    tenantId: t',
      '    secrets: [{ env: DIRECTORY_SECRET }]',
      '    hydration:',
      `      baseUrl: ${api.baseUrl}`,
      '      mode: deferred',
      '',
    ].join('\n'),
  );
  configured = adapterFromEnv({
    serviceName: `adapter-directory-${namespace}`,
    adapter: directoryAdapter,
    defaultPort: 0,
    env: {
      KAFKA_BROKERS: brokers,
      TOPIC_NAMESPACE: namespace,
      CONNECTIONS_FILE: connectionsFile,
      PORT: '0',
      DIRECTORY_SECRET: secret,
    },
  });
  configured.log.level = 'warn';
  await configured.start();
});

afterAll(async () => {
  await configured?.service.close(2_000);
  await api?.close();
  await rm(folder, { recursive: true, force: true });
});

it('keeps every topic and the hydration group under TOPIC_NAMESPACE', async () => {
  const { port } = configured.service.server.address() as { port: number };
  const body = JSON.stringify({ employeeId: 'ns-1' });
  const response = await fetch(`http://127.0.0.1:${port}/webhooks/dir`, {
    method: 'POST',
    headers: signDirectory(secret, body),
    body,
  });
  expect(response.status).toBe(202);

  const rawName = `${namespace}.${topics.rawDeliveries.name}`;
  expect(await countRecords(kafka, rawName)).toBe(1);
  const [raw] = await readRecords(
    kafka,
    rawDeliveriesTopic({ ...topics.rawDeliveries, name: rawName }),
    1,
  );
  expect(raw!.value.payload).toEqual({ employeeId: 'ns-1' });

  // The hydration worker read the namespaced raw topic and wrote the namespaced event topic.
  const events = inNamespace(typedTopic(topics.workerEvents, workerEventCodec), namespace);
  const [event] = await readRecords(kafka, events, 1);
  expect(event!.value.worker).toMatchObject({ employeeId: 'ns-1', job: { title: 'Engineer' } });

  const admin = kafka.admin();
  await admin.connect();
  try {
    const group = `${namespace}.adapter-directory-${namespace}.hydration`;
    await waitFor('the namespaced group committed', async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [rawName] });
      return offsets!.partitions.some((partition) => partition.offset !== '-1');
    });
  } finally {
    await admin.disconnect();
  }
});
