// Throughput and latency of one adapter process: verified webhooks answered only after Kafka
// acknowledged (acks=all). Run: node bench/webhook-adapter.bench.ts [rate] [seconds] [adapters]
// (a comma-separated subset of standard-webhooks,bamboohr,hibob,merge; default all).
// With BENCH_OTHER_CPUS (e.g. `1`), the broker JVM and the load generator are pinned to those CPUs,
// so that starting this process under `taskset -c 0` leaves CPU 0 to the adapter alone.
// BENCH_VEGETA names a vegeta binary to send the load with; BENCH_WARMUP_SECONDS and
// BENCH_VEGETA_NICE are described where they are read.
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startKafka } from '@tributary/kafka-broker';
import { createKafkaClient } from '@tributary/kafka';
import { resolveConnections, type AdapterService } from '@tributary/webhook-kit';
import { adapterNodeFlags } from '@tributary/webhook-kit/launch';
import { countRecords, createTestTopics } from '@tributary/webhook-kit/testing';
import { createBambooHrService } from '../services/adapter-bamboohr/src/app.ts';
import { createHiBobService } from '../services/adapter-hibob/src/app.ts';
import { createMergeService } from '../services/adapter-merge/src/app.ts';
import { createStandardWebhooksService } from '../services/adapter-standard-webhooks/src/app.ts';

const rate = Number(process.argv[2] ?? 3_000);
const durationSeconds = Number(process.argv[3] ?? 20);
type Source = 'standard-webhooks' | 'bamboohr' | 'hibob' | 'merge';
const sources = (process.argv[4] ?? 'standard-webhooks,bamboohr,hibob,merge').split(
  ',',
) as Source[];
const services = {
  'standard-webhooks': createStandardWebhooksService,
  bamboohr: createBambooHrService,
  hibob: createHiBobService,
  merge: createMergeService,
} satisfies Record<Source, unknown>;
// The adapter runs in this process: it gets the flags production starts adapters with, unless
// BENCH_LAUNCH=bare asks for a plain `node`.
const missingFlags = adapterNodeFlags.filter((flag) => !process.execArgv.includes(flag));
if (missingFlags.length > 0 && process.env['BENCH_LAUNCH'] !== 'bare') {
  const args = [...process.execArgv, ...missingFlags, ...process.argv.slice(1)];
  process.exit(spawnSync(process.execPath, args, { stdio: 'inherit' }).status ?? 1);
}

const otherCpus = process.env['BENCH_OTHER_CPUS'];
/** Default 35 s: at 3,000/s, enough to fill the de-duplication cache (100,000 delivery ids). */
const warmUpSeconds = Number(process.env['BENCH_WARMUP_SECONDS'] ?? 35);
/**
 * vegeta's scheduling priority when it shares the CPUs (`nice`, default 10). The load generator
 * stands for the vendors' servers, which do not take CPU from the adapter in production; here it
 * takes half a core. Lowered, it yields to the adapter and the broker; its own scheduling delays
 * still count in the latencies it reports, so this can only make them look worse.
 */
const vegetaNice = process.env['BENCH_VEGETA_NICE'] ?? '10';
/** A vegeta binary to send the load with instead of the Node generator (`BENCH_VEGETA`). */
const vegeta = process.env['BENCH_VEGETA'];
const run = promisify(execFile);

/**
 * The same load sent by vegeta: the Node generator signs the requests into a targets file, then
 * `vegeta attack` sends them at the offered rate and `vegeta report` gives the latencies.
 */
async function vegetaLoad(
  generator: string[],
  offered: number,
  seconds: number,
): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-vegeta-'));
  try {
    const targets = join(dir, 'targets.jsonl');
    const options = { ...(JSON.parse(generator[1]!) as object), vegetaTargets: targets };
    await run(process.execPath, [generator[0]!, JSON.stringify(options)]);
    const results = join(dir, 'results.bin');
    const attack = [
      'attack',
      '-format=json',
      `-targets=${targets}`,
      `-rate=${offered}/s`,
      `-duration=${seconds}s`,
      '-max-connections=128',
      `-output=${results}`,
    ];
    await (otherCpus
      ? run('taskset', ['-c', otherCpus, vegeta!, ...attack])
      : run('nice', ['-n', vegetaNice, vegeta!, ...attack]));
    const { stdout } = await run(vegeta!, ['report', '-type=json', results], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as {
      requests: number;
      throughput: number;
      duration: number;
      latencies: Record<string, number>;
      status_codes: Record<string, number>;
      errors: string[] | null;
    };
    const ms = (ns: number | undefined) => (ns ?? NaN) / 1e6;
    return {
      loadGenerator: 'vegeta',
      offeredRate: offered,
      completed: report.requests,
      errors: report.status_codes['0'] ?? 0,
      // vegeta lists each distinct error once: what went wrong, not how often.
      ...(report.errors?.length ? { errorMessages: report.errors.slice(0, 5) } : {}),
      statuses: report.status_codes,
      elapsedSeconds: report.duration / 1e9,
      throughput: report.throughput,
      p50: ms(report.latencies['50th']),
      p90: ms(report.latencies['90th']),
      p95: ms(report.latencies['95th']),
      p99: ms(report.latencies['99th']),
      max: ms(report.latencies['max']),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Nanoseconds the adapter's main thread spent ready to run but waiting for its CPU (Linux
 * schedstat): time another process took from it, which no change to the adapter can win back.
 */
function runQueueWaitNs(): number | undefined {
  const path = '/proc/self/schedstat';
  return existsSync(path) ? Number(readFileSync(path, 'utf8').split(' ')[1]) : undefined;
}

// Before the broker starts: what else the machine was doing, for the figures' context.
const loadAtStart = loadavg().map((value) => Math.round(value * 100) / 100);

const cluster = await startKafka();
if (otherCpus) {
  // Every thread of the JVM, not only its main one.
  for (const node of cluster.nodes)
    await run('taskset', ['-a', '-p', '-c', otherCpus, String(node.pid)]);
}
const kafka = createKafkaClient({ clientId: 'bench', brokers: [...cluster.brokers] });
const results: Record<string, unknown> = {};

try {
  for (const source of sources) {
    const topics = await createTestTopics(kafka, `bench-${source}`);
    const secret =
      source === 'standard-webhooks'
        ? `whsec_${randomBytes(32).toString('base64')}`
        : randomBytes(24).toString('hex');
    const connections = resolveConnections(
      [
        {
          id: 'bench',
          system: source,
          tenantId: 'bench',
          secrets: [{ env: 'BENCH_SECRET' }],
          // HiBob's deliveries are thin: deferred to the raw topic, never read in this benchmark.
          ...(source === 'hibob'
            ? {
                hydration: {
                  baseUrl: 'http://127.0.0.1:9',
                  mode: 'deferred' as const,
                  credentials: {
                    serviceUserId: { env: 'BENCH_SECRET' },
                    token: { env: 'BENCH_SECRET' },
                  },
                },
              }
            : {}),
        },
      ],
      { system: source },
      'bench',
      { BENCH_SECRET: secret },
    );
    // The adapter's own view of each answer: from its handler's start to the response written.
    // Against the load generator's latency, it tells the adapter's share of the tail from the
    // time a request waited outside it (socket queues, a descheduled thread, the generator).
    const answers = createHistogram();
    let measuring = false;
    const options = {
      connections,
      kafka,
      topics,
      hydrationWorker: false,
      serviceName: `bench-${source}`,
      observer: {
        accepted: ({ durationMs }: { durationMs: number }) => {
          if (measuring) answers.record(Math.max(1, Math.round(durationMs * 1000)));
        },
      },
    };
    const service: AdapterService = services[source](options);
    // HiBob's deliveries are thin and deferred: what Kafka acknowledges is the raw delivery.
    const topic = source === 'hibob' ? topics.rawDeliveries.name : topics.workerEvents.name;
    const { port } = await service.start({ port: 0 });

    const load = async (offered: number, seconds: number) => {
      const generator = [
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
      ];
      if (vegeta !== undefined) return vegetaLoad(generator, offered, seconds);
      const { stdout } = otherCpus
        ? await run('taskset', ['-c', otherCpus, process.execPath, ...generator], {
            maxBuffer: 16 * 1024 * 1024,
          })
        : await run(process.execPath, generator, { maxBuffer: 16 * 1024 * 1024 });
      return JSON.parse(stdout) as Record<string, unknown>;
    };

    // Warm-up at the measured rate, so that what follows is the steady state: the adapter's and
    // the broker's JIT done (the broker's compiler threads take up to half a core for the first
    // 40 s or so), the de-duplication cache full, the producer connected.
    await load(rate, warmUpSeconds);
    const before = await countRecords(kafka, topic);
    // The adapter's own CPU time per request: what bounds its rate on one core, and less
    // disturbed than latency by whatever else runs on the machine.
    const cpuBefore = process.cpuUsage();
    const waitBefore = runQueueWaitNs();
    // How long the adapter's event loop was blocked (GC pauses, long tasks): a delivery that
    // arrives during a block waits for all of it, and for the backlog built up meanwhile.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    measuring = true;
    const measured = await load(rate, durationSeconds);
    measuring = false;
    loopDelay.disable();
    const cpu = process.cpuUsage(cpuBefore);
    const waitAfter = runQueueWaitNs();
    const published = (await countRecords(kafka, topic)) - before;
    results[source] = {
      ...measured,
      publishedRecords: published,
      adapterCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Number(measured['completed']),
      adapterRunQueueWaitMs:
        waitBefore === undefined || waitAfter === undefined
          ? undefined
          : Math.round((waitAfter - waitBefore) / 1e6),
      adapterAnswerMs: {
        p50: answers.percentile(50) / 1e3,
        p99: answers.percentile(99) / 1e3,
        max: answers.max / 1e3,
      },
      adapterLoopDelayMs: {
        p99: loopDelay.percentile(99) / 1e6,
        max: loopDelay.max / 1e6,
      },
    };
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
      otherCpus: otherCpus ?? 'shared',
      loadAverageAtStart: loadAtStart,
    },
    kafka: cluster.kafkaVersion,
    results,
  }),
);
