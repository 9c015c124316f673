// The uploader against a real Kafka broker and the Entra emulator, each in its own process.
//
//   node bench/uploader.bench.ts --scenario throughput [--events 200000]
//   node bench/uploader.bench.ts --scenario throttled [--events 100000] [--seconds 180]
//   node bench/uploader.bench.ts --scenario memory [--events 100000]
//
// throughput: throttling off, the topic pre-filled with distinct workers; the uploader (pinned
//   to CPU 0 with taskset) drains it into the emulator, which only accepts (no processing
//   cycles), pinned with the broker to CPU 1. Records per second from the first to the last
//   accepted operation.
// throttled: Entra's default limits (40 calls in any 5 s) on both sides and a backlog larger
//   than the run can drain: records per second, 429s after the first minute, operations a call.
// memory: uploads the workers with throttling off, then starts a fresh uploader that loads the
//   state topic (every worker known) and samples its resident memory once it is ready.
//
// Every uploader is started as in production: `uploaderEnv`, `uploaderNodeFlags`, the telemetry
// hook (BENCH_LAUNCH=bare starts a plain `node main.ts` instead, for comparison).
//
// Each run starts and stops its own broker, emulator and uploader, and is bounded in time.
// Prints a JSON summary; docs/benchmarks/uploader.md records the runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startKafka, type KafkaCluster } from '../packages/kafka-broker/src/index.ts';
import {
  createKafkaClient,
  ensureTopics,
  inNamespace,
  workerEventsTopic,
} from '../packages/kafka/src/index.ts';
import { uploaderEnv, uploaderNodeFlags } from '../services/uploader/src/launch.ts';
import { fillWorkerEvents } from './worker-event-backlog.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'throughput' },
    events: { type: 'string' },
    seconds: { type: 'string', default: '180' },
  },
});
const scenario = values.scenario as 'throughput' | 'throttled' | 'memory';
const events = Number(values.events ?? (scenario === 'throughput' ? 200_000 : 100_000));
const runSeconds = Number(values.seconds);

const ids = {
  tenantId: '4e1a7c52-9b3d-4f60-8a2e-6d5c3b1f0a97',
  appId: '2b8f4d16-7c3e-4a59-b1d0-9e6a5c4f3b28',
  appSp: '8d3c6e2a-1f4b-4c7d-9a5e-0b2f7d6c4e13',
  sp: '5a9e2c7f-3d1b-4e8a-b6c4-1f0d9e8a7b62',
  jobId: 'API2AAD.4e1a7c529b3d4f608a2e6d5c3b1f0a97.c3e8a1d4-6b2f-4a9c-9d7e-5f4b3a2c1e06',
  secret: 'bench-secret',
};
const namespace = `bench-${Date.now()}`;
const throttled = scenario === 'throttled';

const work = mkdtempSync(join(tmpdir(), 'uploader-bench-'));
const children = new Set<ChildProcess>();
let kafka: KafkaCluster | undefined;

async function cleanUp(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  await kafka?.stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));
}
// Nothing may outlive a run that went wrong: a hard stop well past the longest scenario.
const hardStop = setTimeout(
  () => {
    console.error('benchmark timed out');
    void cleanUp().then(() => process.exit(1));
  },
  (runSeconds + 900) * 1000,
);

try {
  console.log(JSON.stringify(await run(), null, 2));
} finally {
  clearTimeout(hardStop);
  await cleanUp();
}

async function run(): Promise<Record<string, unknown>> {
  // 1. Broker and emulator on CPU 1, so the uploader has CPU 0 to itself.
  kafka = await startKafka();
  for (const node of kafka.nodes) if (node.pid) await pin(node.pid, 1);
  const emulator = await startEmulatorProcess();

  // 2. The backlog: one event per distinct worker.
  const filled = await fill();
  console.error(`topic filled with ${events} events in ${filled.seconds} s; uploading`);

  // 3. The uploader.
  const targets = writeTargets(emulator);
  const uploader = startUploader(targets, `${namespace}-1`, launch());
  const brokerPid = kafka.nodes[0]!.pid!;

  if (scenario === 'throttled') return measureThrottled(emulator, uploader, filled);

  // CPU is sampled all along and read at the first and the last accepted request, so the
  // uploader's start (module loading, joining the group, reading the state topic) is not
  // counted against the records, nor is the broker's and emulator's work meanwhile.
  const cpu = sampleCpu({ uploader: uploader.pid!, emulator: emulator.pid, broker: brokerPid });
  const accepted = await waitFor(
    async () => (await counters(emulator)).operationsAccepted >= events,
    600_000,
  );
  cpu.stop();
  const rssAfterUpload = rssMb(uploader.pid!);
  const requests = await bulkRequests(emulator);
  const ok = requests.filter((r) => r.status === 202);
  const first = Date.parse(ok[0]!.receivedAt);
  const last = Date.parse(ok.at(-1)!.receivedAt);
  const operations = ok.reduce((sum, r) => sum + r.operations, 0);
  const uploaderCpuMs = cpu.between('uploader', first, last);
  const emulatorCpuMs = cpu.between('emulator', first, last);
  const brokerCpuMs = cpu.between('broker', first, last);
  const upload = {
    events,
    fillSeconds: filled.seconds,
    accepted,
    operations,
    calls: ok.length,
    operationsPerCall: round(operations / ok.length),
    seconds: round((last - first) / 1000),
    recordsPerSecond: Math.round(operations / ((last - first) / 1000)),
    uploaderCpuShare: round(uploaderCpuMs / (last - first + 1)),
    recordsPerUploaderCpuSecond: Math.round(operations / (uploaderCpuMs / 1000)),
    // Both on CPU 1: together near 1.0 means the uploader waited for them.
    emulatorCpuShare: round(emulatorCpuMs / (last - first + 1)),
    brokerCpuShare: round(brokerCpuMs / (last - first + 1)),
    rssAfterUploadMb: rssAfterUpload,
    answers: countBy(requests.map((r) => String(r.status))),
  };
  if (scenario === 'throughput') {
    // A clean exit, so `UPLOADER_NODE_OPTIONS=--cpu-prof` writes its profile.
    uploader.kill('SIGTERM');
    await Promise.race([once(uploader, 'exit'), sleep(30_000)]);
    return { scenario, machine: machine(), ...upload };
  }

  // Memory: a fresh process that learns every worker from the state topic.
  uploader.kill('SIGTERM');
  await once(uploader, 'exit');
  const fresh = startUploader(targets, `${namespace}-2`, launch());
  const port = await fresh.port;
  const readyAfterMs = await timeUntilReady(port);
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    await sleep(1_000);
    samples.push(rssMb(fresh.pid!));
  }
  return {
    scenario,
    machine: machine(),
    upload,
    knownWorkers: events,
    readyAfterMs,
    rssMb: { last: samples.at(-1), max: Math.max(...samples), samples },
    // Anonymous pages are the heaps (V8's and malloc's); file pages mostly the node binary.
    lastRssByKindMb: rssByKindMb(fresh.pid!),
  };
}

async function measureThrottled(
  emulator: Emulator,
  uploader: Uploader,
  filled: { seconds: number },
): Promise<Record<string, unknown>> {
  const started = Date.now();
  await sleep(runSeconds * 1000);
  const left = events - (await counters(emulator)).operationsAccepted;
  const end = started + runSeconds * 1000;
  // Calls that arrived while the emulator was being read belong to no measured second.
  const requests = (await bulkRequests(emulator))
    .map((r) => ({ ...r, at: Date.parse(r.receivedAt) }))
    .filter((r) => r.at < end);
  uploader.kill('SIGTERM');
  const ok = requests.filter((r) => r.status === 202);
  const first = ok[0]!.at;
  const operations = ok.reduce((sum, r) => sum + r.operations, 0);
  const afterFirstMinute = requests.filter((r) => r.at >= first + 60_000);
  // Per minute, to show the rate is steady rather than an average of bursts.
  const perMinute: number[] = [];
  for (let t = first; t + 60_000 <= end; t += 60_000) {
    perMinute.push(
      Math.round(
        ok.filter((r) => r.at >= t && r.at < t + 60_000).reduce((s, r) => s + r.operations, 0) / 60,
      ),
    );
  }
  return {
    scenario,
    machine: machine(),
    events,
    fillSeconds: filled.seconds,
    runSeconds,
    backlogLeftAtEnd: left,
    recordsPerSecond: round(operations / ((end - first) / 1000)),
    ceiling: 400,
    recordsPerSecondByMinute: perMinute,
    calls: requests.length,
    accepted: ok.length,
    operationsPerCall: round(operations / ok.length),
    throttledTotal: requests.filter((r) => r.status === 429).length,
    throttledAfterFirstMinute: afterFirstMinute.filter((r) => r.status === 429).length,
    busiestFiveSeconds: busiest(
      ok.map((r) => r.at),
      5_000,
    ),
  };
}

interface Emulator {
  pid: number;
  url: string;
  agent: Agent;
  caFile: string;
}

/** `node services/entra-emulator/src/main.ts` with a config written for this run. */
async function startEmulatorProcess(): Promise<Emulator> {
  const config = join(work, 'emulator.json');
  writeFileSync(
    config,
    JSON.stringify({
      server: { host: '127.0.0.1', port: 0, tlsDir: join(work, 'tls') },
      throttling: {
        enabled: throttled,
        windowSeconds: 5,
        maxCallsPerWindow: 40,
        dailyQuota: 6_000,
        retryAfter: true,
      },
      // Acceptance only while measuring throughput: processing is the emulator's cost, not ours.
      cycles: { intervalMs: scenario === 'throttled' ? 2_000 : 0 },
      tenants: [
        {
          id: ids.tenantId,
          defaultDomain: 'bench.example',
          apps: [
            {
              appId: ids.appId,
              displayName: 'bench',
              servicePrincipalId: ids.appSp,
              clientSecrets: [{ value: ids.secret }],
              permissions: ['SynchronizationData-User.Upload.OwnedBy'],
            },
          ],
          servicePrincipals: [
            {
              id: ids.sp,
              appId: '7c4b1e9d-2a6f-4d3c-8e5b-3a2f1d0c9b84',
              displayName: 'bench provisioning',
              ownerAppIds: [ids.appId],
              jobs: [{ id: ids.jobId, state: 'Active' }],
            },
          ],
        },
      ],
    }),
  );
  const child = spawn(
    'taskset',
    ['-c', '1', process.execPath, 'services/entra-emulator/src/main.ts'],
    { env: { ...process.env, ENTRA_EMULATOR_CONFIG: config, LOG_LEVEL: 'info' }, stdio: 'pipe' },
  );
  children.add(child);
  child.stderr!.resume();
  const line = await logLine(child, 'entra emulator listening');
  const caFile = line.caFile as string;
  return {
    pid: child.pid!,
    url: line.graphUrl as string,
    caFile,
    agent: new Agent({ connect: { ca: readFileSync(caFile, 'utf8') } }),
  };
}

function writeTargets(emulator: Emulator): string {
  const file = join(work, 'targets.yaml');
  const limits = throttled
    ? { callsPerWindow: 40, windowMs: 5_000, dailyQuota: 6_000 }
    : { callsPerWindow: 100_000, windowMs: 1_000, dailyQuota: 10_000_000 };
  writeFileSync(
    file,
    [
      'tenants:',
      '  bench:',
      `    tenantId: ${ids.tenantId}`,
      `    authorityHost: ${emulator.url}`,
      `    graphBaseUrl: ${emulator.url}`,
      `    caFile: ${emulator.caFile}`,
      '    credential:',
      '      kind: clientSecret',
      `      clientId: ${ids.appId}`,
      '      secret: { env: BENCH_CLIENT_SECRET }',
      `    limits: ${JSON.stringify(limits)}`,
      'jobs:',
      '  bench-workers:',
      '    tenant: bench',
      `    servicePrincipalId: ${ids.sp}`,
      `    jobId: ${ids.jobId}`,
      '    connections: [bench-hr]',
      // With a backlog batches fill at once; the default linger only matters when traffic is thin.
      `    batch: { maxConcurrentRequests: ${throttled ? 4 : 16} }`,
      '',
    ].join('\n'),
  );
  return file;
}

/** How the uploader is started in production (`pnpm start` in services/uploader). */
function launch(): Launch {
  if (process.env.BENCH_LAUNCH === 'bare') return { env: {}, nodeFlags: [] };
  return {
    env: uploaderEnv,
    nodeFlags: [...uploaderNodeFlags, '--import', '@tributary/telemetry/register'],
  };
}

interface Launch {
  env: Readonly<Record<string, string>>;
  nodeFlags: readonly string[];
}

function startUploader(targetsFile: string, instanceId: string, how: Launch): Uploader {
  const main = [...how.nodeFlags, 'services/uploader/src/main.ts'];
  const child = spawn('taskset', ['-c', '0', process.execPath, ...main], {
    env: {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: kafka!.brokers.join(','),
      TOPIC_NAMESPACE: namespace,
      TARGETS_FILE: targetsFile,
      BENCH_CLIENT_SECRET: ids.secret,
      INSTANCE_ID: instanceId,
      PORT: '0',
      LOG_LEVEL: 'info',
      NODE_OPTIONS: process.env.UPLOADER_NODE_OPTIONS ?? '',
      ...how.env,
      // Further uploader settings for an experiment, as JSON, e.g.
      // BENCH_UPLOADER_ENV='{"CONSUMER_MAX_RECORDS_IN_FLIGHT":"1000"}'
      ...(JSON.parse(process.env.BENCH_UPLOADER_ENV ?? '{}') as Record<string, string>),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  // Listening from the start also keeps stdout drained, so logging never blocks the uploader.
  const port = logLine(child, 'health endpoint listening').then((line) => line.port as number);
  port.catch(() => {});
  return Object.assign(child, { port });
}

type Uploader = ChildProcess & { port: Promise<number> };

/** Pre-fills the worker-events topic with one event per distinct worker. */
async function fill(): Promise<{ seconds: number }> {
  const client = createKafkaClient({ brokers: kafka!.brokers.slice(), clientId: 'bench-fill' });
  const topic = inNamespace(workerEventsTopic, namespace);
  await ensureTopics(client, { replicationFactor: 1, specs: [topic.spec] });
  const started = Date.now();
  await fillWorkerEvents(client, topic, events);
  return { seconds: round((Date.now() - started) / 1000) };
}

async function get<T>(emulator: Emulator, path: string): Promise<T> {
  const response = await request(`${emulator.url}${path}`, { dispatcher: emulator.agent });
  return (await response.body.json()) as T;
}

function counters(emulator: Emulator) {
  return get<{ operationsAccepted: number; bulkRequests: number }>(emulator, '/_emulator/counters');
}

async function bulkRequests(emulator: Emulator) {
  const { value } = await get<{
    value: { receivedAt: string; status: number; operations: number }[];
  }>(emulator, '/_emulator/bulk-requests');
  return value;
}

async function timeUntilReady(port: number): Promise<number> {
  const started = Date.now();
  await waitFor(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    return response?.status === 200;
  }, 120_000);
  return Date.now() - started;
}

/** Resolves with the first JSON log line whose message is `msg`; keeps draining stdout. */
function logLine(child: ChildProcess, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg === msg) resolve(entry);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before "${msg}"`)));
  });
}

async function pin(pid: number, cpu: number): Promise<void> {
  const child = spawn('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  await once(child, 'exit');
}

/**
 * Samples the CPU time of some processes every 50 ms, so the time spent within a window known
 * only afterwards can be read back (to within a sample at either end).
 */
function sampleCpu<K extends string>(pids: Record<K, number>) {
  const samples: { at: number; cpu: Record<K, number> }[] = [];
  const take = () => {
    const cpu = {} as Record<K, number>;
    for (const name of Object.keys(pids) as K[]) cpu[name] = cpuMs(pids[name]);
    samples.push({ at: Date.now(), cpu });
  };
  take();
  const timer = setInterval(take, 50);
  return {
    stop: () => {
      clearInterval(timer);
      take();
    },
    /** CPU ms of `name` from the last sample at or before `from` to the first at or after `to`. */
    between: (name: K, from: number, to: number) => {
      const start = samples.findLast((sample) => sample.at <= from) ?? samples[0]!;
      const end = samples.find((sample) => sample.at >= to) ?? samples.at(-1)!;
      return end.cpu[name] - start.cpu[name];
    },
  };
}

/** User plus system CPU time of a process, in milliseconds. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, counted from 1, in clock ticks (100 a second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

function rssByKindMb(pid: number): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const [name, kb] = line.split(/:\s+/);
    if (name?.startsWith('Rss'))
      kinds[name.slice(3).toLowerCase()] = Math.round(parseInt(kb!) / 1024);
  }
  return kinds;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('benchmark condition timed out');
    await sleep(200);
  }
  return Date.now() - started;
}

function busiest(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

function machine() {
  return { nproc: cpus().length, cpu: cpus()[0]?.model, node: process.version };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
