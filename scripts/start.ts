// The whole pipeline on this machine, on local defaults: `./tributary start` (or `pnpm start`).
//
//   Kafka 4.x (KRaft)            127.0.0.1:9092   data in .data/kafka
//   Entra emulator               https://127.0.0.1:8443 (token endpoint, Graph, provisioning logs)
//   adapter-bamboohr             http://127.0.0.1:8081/webhooks/local-bamboohr
//   adapter-hibob                http://127.0.0.1:8082/webhooks/local-hibob
//   adapter-merge                http://127.0.0.1:8083/webhooks/local-merge
//   adapter-standard-webhooks    http://127.0.0.1:8084/webhooks/local-hr
//   uploader                     http://127.0.0.1:8090/readyz
//   Prometheus metrics           127.0.0.1:9461-9464 (adapters), 9465 (uploader), 9469 (emulator)
//
// Every service logs JSON lines to this terminal, prefixed with its name. Ctrl-C stops them all,
// each on its own shutdown deadline, then the broker. With `--demo`, once everything is ready, a
// few signed Standard Webhooks deliveries (a manager and two reports) are posted and the script
// waits until the emulator's directory shows them with their manager set.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { createKafkaClient, ensureTopics } from '@tributary/kafka';
import {
  DEV_PORTS,
  devDataDir,
  probeKafka,
  startKafka,
  type KafkaCluster,
} from '@tributary/kafka-broker';
import { adapterNodeFlags } from '@tributary/webhook-kit/launch';
import { uploaderEnv, uploaderNodeFlags } from '../services/uploader/src/launch.ts';
import { localSecrets } from './local-secrets.ts';

const broker = `127.0.0.1:${DEV_PORTS.broker}`;
const caFile = '.data/entra-emulator/tls/ca.pem';
const demo = process.argv.includes('--demo');

interface Service {
  name: string;
  entry: string;
  env?: Record<string, string>;
  /** Node flags of this service, before the common ones. */
  nodeFlags?: readonly string[];
  /** Resolves when the service answers; a service without one is ready once spawned. */
  ready: () => Promise<boolean>;
}

const services: Service[] = [
  {
    name: 'entra-emulator',
    entry: 'services/entra-emulator/src/main.ts',
    ready: async () =>
      existsSync(caFile) && (await answers('https://127.0.0.1:8443/_emulator/counters')),
  },
  ...(['bamboohr', 'hibob', 'merge', 'standard-webhooks'] as const).map((source, index) => ({
    name: `adapter-${source}`,
    entry: `services/adapter-${source}/src/main.ts`,
    env: { CONNECTIONS_FILE: `services/adapter-${source}/config/local.yaml` },
    nodeFlags: adapterNodeFlags,
    ready: () => answers(`http://127.0.0.1:${8081 + index}/readyz`),
  })),
  {
    name: 'uploader',
    entry: 'services/uploader/src/main.ts',
    env: { ...uploaderEnv },
    nodeFlags: uploaderNodeFlags,
    ready: () => answers('http://127.0.0.1:8090/readyz'),
  },
];

const children = new Map<string, ChildProcess>();
let kafka: KafkaCluster | undefined;
let stopping = false;

async function main(): Promise<void> {
  // Step 1: Kafka. A broker already running here (`pnpm kafka start`) is used as it is.
  if ((await probeKafka(broker)) !== undefined) {
    log('kafka', `starting Kafka on ${broker} (first run fetches it from Maven Central)`);
    // In its own process group, like the services: Ctrl-C reaches this script alone, which then
    // stops the services first and the broker last, so they can commit on the way out.
    kafka = await startKafka({ ports: [DEV_PORTS], dataDir: devDataDir, detached: true });
  }
  // Topics are created explicitly (the broker never auto-creates them), once, before any
  // service needs them.
  const created = await ensureTopics(
    createKafkaClient({ brokers: [broker], clientId: 'tributary-start' }),
    {
      replicationFactor: 1,
    },
  );
  log('kafka', `ready on ${broker}${created.length > 0 ? `; created ${created.join(', ')}` : ''}`);

  // Step 2: the emulator first (it writes the CA the uploader trusts), then the rest.
  const env = { ...localSecrets, ...process.env, KAFKA_BROKERS: broker };
  const [emulator, ...others] = services;
  start(emulator!, env);
  await until(emulator!);
  for (const service of others) start(service, env);
  await Promise.all(others.map((service) => until(service)));
  log('tributary', 'pipeline ready; Ctrl-C stops it');

  if (demo) await import('./demo.ts').then((module) => module.runDemo((text) => log('demo', text)));
}

function start(service: Service, env: NodeJS.ProcessEnv): void {
  // The telemetry hook must load before the service's modules, to instrument express and http.
  const flags = [...(service.nodeFlags ?? []), '--import', '@tributary/telemetry/register'];
  const child = spawn(process.execPath, [...flags, service.entry], {
    env: { ...env, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.set(service.name, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => log(service.name, line));
  }
  child.once('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      log(service.name, `exited (${signal ?? code}); stopping the pipeline`);
      void stop(1);
    }
  });
}

async function until(service: Service, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await service.ready())) {
    if (stopping) throw new Error(`stopped while waiting for ${service.name}`);
    if (Date.now() > deadline) throw new Error(`${service.name} not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(service.name, 'ready');
}

let emulatorAgent: Agent | undefined;

async function answers(url: string): Promise<boolean> {
  // The emulator serves HTTPS with a certificate authority of its own making.
  if (url.startsWith('https:'))
    emulatorAgent ??= new Agent({ connect: { ca: readFileSync(caFile) } });
  try {
    const response = await request(url, {
      headersTimeout: 2_000,
      bodyTimeout: 2_000,
      ...(url.startsWith('https:') && emulatorAgent ? { dispatcher: emulatorAgent } : {}),
    });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Each service stops on its own deadline; the broker goes last so they can commit.
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await kafka?.stop();
  process.exit(code);
}

function log(source: string, line: string): void {
  process.stdout.write(`${source.padEnd(26)} ${line}\n`);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
main().catch((error: unknown) => {
  log('tributary', `failed to start: ${error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});
