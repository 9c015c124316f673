// What KafkaJS itself costs the uploader per record, on one core: the floor under the uploader's
// own work, against a real Kafka broker.
//
//   node bench/kafka-client.bench.ts [--events 100000] [--rounds 2]
//
// The topic is filled as for the uploader's throughput benchmark (one ~1.5 kB worker event per
// distinct worker, 12 partitions). Then, for each mode, a fresh process pinned to CPU 0 (the
// broker is on CPU 1) drains it with a KafkaJS consumer in a group of its own and exits:
//
//   consume:  `eachBatch`, offsets resolved and committed; nothing else.
//   state:    and, per batch, one keyed state record per event (~250 B, like the uploader's
//             digest record) sent with an idempotent `acks=all` producer and awaited before the
//             batch's offsets move: the Kafka I/O that the uploader cannot do without.
//   decode:   and each event's value turned into a string and parsed as JSON.
//
// Each reports its CPU time (user + system, its GC and helper threads included) from the first
// batch to the last, per record. The uploader's budget for 20,000 records a second on one core
// is 50 µs a record; what these modes take is not available to anything else.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { startKafka, type KafkaCluster } from '../packages/kafka-broker/src/index.ts';
import {
  createKafkaClient,
  ensureTopics,
  inNamespace,
  workerEventsTopic,
} from '../packages/kafka/src/index.ts';
import { fillWorkerEvents } from './worker-event-backlog.ts';

const modes = ['consume', 'state', 'decode'] as const;
type Mode = (typeof modes)[number];

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '2' },
    // Set when this script runs itself as the measured consumer.
    child: { type: 'string' },
    brokers: { type: 'string' },
    topic: { type: 'string' },
    'state-topic': { type: 'string' },
  },
});
const events = Number(values.events);

if (values.child) {
  const result = await drain(values.child as Mode, values.brokers!.split(','), values.topic!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

let kafka: KafkaCluster | undefined;
const hardStop = setTimeout(() => {
  console.error('benchmark timed out');
  void kafka?.stop().finally(() => process.exit(1));
}, 30 * 60_000);
try {
  kafka = await startKafka();
  for (const node of kafka.nodes) if (node.pid) await pin(node.pid, 1);
  const brokers = kafka.brokers.slice();
  const namespace = `floor-${Date.now()}`;
  const topic = inNamespace(workerEventsTopic, namespace);
  const stateTopic = `${namespace}.state`;
  const client = createKafkaClient({ brokers, clientId: 'bench-fill' });
  await ensureTopics(client, { replicationFactor: 1, specs: [topic.spec] });
  await client.admin().createTopics({
    topics: [
      {
        topic: stateTopic,
        numPartitions: 6,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ],
  });
  await fillWorkerEvents(client, topic, events);

  const results: Record<string, unknown>[] = [];
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const mode of modes) {
      const result = await child(mode, brokers, topic.spec.name, stateTopic);
      console.error(JSON.stringify({ round, ...result }));
      results.push({ round, ...result });
    }
  }
  console.log(
    JSON.stringify({ events, partitions: topic.spec.partitions, node: process.version, results }),
  );
} finally {
  clearTimeout(hardStop);
  await kafka?.stop();
}

async function child(mode: Mode, brokers: string[], topic: string, stateTopic: string) {
  const args = [
    ...['-c', '0', process.execPath, import.meta.filename, '--child', mode],
    ...['--events', String(events), '--brokers', brokers.join(',')],
    ...['--topic', topic, '--state-topic', stateTopic],
  ];
  const proc = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${mode} consumer exited with ${code}`);
  return JSON.parse(out) as Record<string, unknown>;
}

/** The measured process: drains the topic in the given mode and reports its CPU per record. */
async function drain(mode: Mode, brokers: string[], topic: string) {
  const client = createKafkaClient({ brokers, clientId: `floor-${mode}` });
  const consumer = client.consumer({
    groupId: `floor-${mode}-${process.pid}`,
    maxWaitTimeInMs: 250,
  });
  const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });

  const state = Buffer.from(
    JSON.stringify({
      kind: 'worker',
      job: 'API2AAD.4e1a7c529b3d4f608a2e6d5c3b1f0a97.c3e8a1d4-6b2f-4a9c-9d7e-5f4b3a2c1e06',
      writer: 'uploader-0',
      externalId: 'E000000',
      digest: 'x'.repeat(43),
    }),
  );
  let seen = 0;
  let parsed = 0;
  let first: { cpu: NodeJS.CpuUsage; at: number } | undefined;
  const { promise: done, resolve } = Promise.withResolvers<void>();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      first ??= { cpu: process.cpuUsage(), at: performance.now() };
      if (mode !== 'consume') {
        if (mode === 'decode') {
          for (const message of batch.messages) {
            if (JSON.parse(message.value!.toString('utf8'))) parsed++;
          }
        }
        await producer.send({
          topic: values['state-topic']!,
          acks: -1,
          messages: batch.messages.map((message) => ({ key: message.key, value: state })),
        });
      }
      seen += batch.messages.length;
      if (seen >= events) resolve();
    },
  });
  await done;
  const cpu = process.cpuUsage(first!.cpu);
  const seconds = (performance.now() - first!.at) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  return {
    mode,
    records: seen,
    parsed,
    seconds: Math.round(seconds * 100) / 100,
    recordsPerSecond: Math.round(seen / seconds),
    cpuMicrosecondsPerRecord: Math.round((cpuSeconds * 1e6 * 10) / seen) / 10,
    recordsPerCpuSecond: Math.round(seen / cpuSeconds),
  };
}

async function pin(pid: number, cpu: number): Promise<void> {
  const proc = spawn('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  await once(proc, 'exit');
}
