// The development Kafka broker: `pnpm kafka <fetch|start|stop|status>`.
//
//   fetch               fills the jar cache from Maven Central (nothing else to do later)
//   start               starts a broker on 127.0.0.1:9092 (controller 9093) in the background,
//                       returns once it serves requests, and records its pid in .data/kafka
//   start --foreground  the same, attached to this terminal until Ctrl-C
//   stop                stops the background broker (SIGTERM, SIGKILL after 20 s)
//   status              exits 0 when the broker runs and answers, 1 otherwise
//
// Data survives restarts in .data/kafka; delete that folder for an empty broker.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  DEV_PORTS,
  KAFKA_VERSION,
  devDataDir,
  ensureKafkaDistribution,
  isBrokerPid,
  probeKafka,
  startKafka,
  stopBrokerPid,
} from '@tributary/kafka-broker';

const pidFile = join(devDataDir, 'kafka.pid');
const address = `127.0.0.1:${DEV_PORTS.broker}`;
const stopTimeoutMs = 20_000;

async function runningPid(): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  const pid = Number(text);
  return text !== undefined && Number.isInteger(pid) && isBrokerPid(pid) ? pid : undefined;
}

async function fetch(): Promise<void> {
  const distribution = await ensureKafkaDistribution();
  console.log(`Kafka ${distribution.version} jars in ${distribution.libsDir}`);
}

async function start(foreground: boolean): Promise<void> {
  const existing = await runningPid();
  if (existing !== undefined) {
    console.log(`Kafka already runs on ${address} (pid ${existing})`);
    return;
  }

  const kafka = await startKafka({
    ports: [DEV_PORTS],
    dataDir: devDataDir,
    detached: !foreground,
    stopTimeoutMs,
  });
  const node = kafka.nodes[0];
  await writeFile(pidFile, `${node?.pid}\n`);
  console.log(`Kafka ${kafka.kafkaVersion} ready on ${address} (pid ${node?.pid})`);
  console.log(`logs: ${node?.logFile}`);
  if (!foreground) return;

  const shutdown = async (): Promise<void> => {
    await kafka.stop();
    await rm(pidFile, { force: true });
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

async function stop(): Promise<void> {
  const pid = await runningPid();
  if (pid === undefined) {
    console.log('Kafka is not running');
  } else {
    await stopBrokerPid(pid, stopTimeoutMs);
    console.log(`Kafka stopped (pid ${pid})`);
  }
  await rm(pidFile, { force: true });
}

async function status(): Promise<void> {
  const pid = await runningPid();
  const problem = pid === undefined ? 'no broker process' : await probeKafka(address);
  if (problem === undefined) {
    console.log(`Kafka runs on ${address} (pid ${pid})`);
  } else {
    console.log(`Kafka is not serving on ${address}: ${problem}`);
    process.exitCode = 1;
  }
}

const [command, ...flags] = process.argv.slice(2);
switch (command) {
  case 'fetch':
    await fetch();
    break;
  case 'start':
    await start(flags.includes('--foreground'));
    break;
  case 'stop':
    await stop();
    break;
  case 'status':
    await status();
    break;
  default:
    console.error(
      `usage: pnpm kafka <fetch|start [--foreground]|stop|status>  (Kafka ${KAFKA_VERSION})`,
    );
    process.exitCode = 2;
}
