// Throughput and latency of one adapter process: verified webhooks answered only after Kafka
// acknowledged (acks=all). Run: node bench/webhook-adapter.bench.ts [rate] [seconds]
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { startKafka } from '@tributary/kafka-broker';
import { createKafkaClient } from '@tributary/kafka';
import { resolveConnections, type AdapterService } from '@tributary/webhook-kit';
import { countRecords, createTestTopics } from '@tributary/webhook-kit/testing';
import { createBambooHrService } from '../services/adapter-bamboohr/src/app.ts';
import { createStandardWebhooksService } from '../services/adapter-standard-webhooks/src/app.ts';

const rate = Number(process.argv[2] ?? 3_000);
const durationSeconds = Number(process.argv[3] ?? 20);
const run = promisify(execFile);

const cluster = await startKafka();
const kafka = createKafkaClient({ clientId: 'bench', brokers: [...cluster.brokers] });
const results: Record<string, unknown> = {};

try {
  for (const source of ['standard-webhooks', 'bamboohr'] as const) {
    const topics = await createTestTopics(kafka, `bench-${source}`);
    const secret =
      source === 'bamboohr'
        ? randomBytes(24).toString('hex')
        : `whsec_${randomBytes(32).toString('base64')}`;
    const connections = resolveConnections(
      [{ id: 'bench', system: source, tenantId: 'bench', secrets: [{ env: 'BENCH_SECRET' }] }],
      { system: source },
      'bench',
      { BENCH_SECRET: secret },
    );
    const options = {
      connections,
      kafka,
      topics,
      hydrationWorker: false,
      serviceName: `bench-${source}`,
    };
    const service: AdapterService =
      source === 'bamboohr'
        ? createBambooHrService(options)
        : createStandardWebhooksService(options);
    const { port } = await service.start({ port: 0 });

    const load = async (offered: number, seconds: number) => {
      const { stdout } = await run(
        process.execPath,
        [
          'bench/webhook-load-generator.ts',
          JSON.stringify({
            url: `http://127.0.0.1:${port}`,
            path: '/webhooks/bench',
            source,
            secret,
            rate: offered,
            durationSeconds: seconds,
            connections: 128,
          }),
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      return JSON.parse(stdout) as Record<string, unknown>;
    };

    await load(Math.min(rate, 1_000), 3); // warm-up: JIT, producer connection, topic metadata
    const before = await countRecords(kafka, topics.workerEvents.name);
    const measured = await load(rate, durationSeconds);
    const published = (await countRecords(kafka, topics.workerEvents.name)) - before;
    results[source] = { ...measured, publishedRecords: published };
    console.log(source, JSON.stringify(results[source]));
    await service.close(5_000);
  }
} finally {
  await cluster.stop();
}

console.log(
  JSON.stringify({
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    kafka: cluster.kafkaVersion,
    results,
  }),
);
