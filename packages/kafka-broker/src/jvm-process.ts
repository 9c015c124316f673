import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { TributaryError } from '@tributary/errors';

import type { KafkaDistribution } from './distribution.ts';

export interface JvmOptions {
  distribution: KafkaDistribution;
  /** The `java` executable. */
  java: string;
  heapMb: number;
  /** Where log4j2 writes server.log and where the JVM's own stdout/stderr go (jvm.out). */
  logsDir: string;
}

export interface ExitInfo {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface BrokerProcess {
  readonly pid: number;
  /** Set once the JVM has exited. */
  readonly exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the JVM is gone. */
  stop(graceMs: number): Promise<void>;
}

const KILL_WAIT_MS = 5_000;

/** JVMs this process started and has not seen exit; see killLeftovers. */
const attached = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * `shortLived` is for command-line tools such as the storage formatter: the C1 compiler alone and
 * the serial collector halve their run time, which a broker would pay for later in throughput.
 */
export function jvmArgs(
  options: JvmOptions,
  mainClass: string,
  args: readonly string[],
  shortLived = false,
): string[] {
  return [
    ...(shortLived ? ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'] : []),
    `-Xms${Math.min(128, options.heapMb)}m`,
    `-Xmx${options.heapMb}m`,
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${options.logsDir}`,
    `-Dlog4j2.configurationFile=${options.distribution.log4jConfigFile}`,
    '-cp',
    options.distribution.classpath,
    mainClass,
    ...args,
  ];
}

/**
 * Starts `kafka.Kafka <configFile>`. Output goes to files rather than pipes so that a detached
 * broker (the development daemon) keeps running after this process exits, and so that a JVM
 * that dies before log4j starts (a wrong Java version) still leaves its reason behind.
 */
export function spawnBroker(
  options: JvmOptions & { configFile: string; detached: boolean },
): BrokerProcess {
  const out = openSync(join(options.logsDir, 'jvm.out'), 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.java, jvmArgs(options, 'kafka.Kafka', [options.configFile]), {
      stdio: ['ignore', out, out],
      detached: options.detached,
    });
  } finally {
    closeSync(out);
  }

  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', () => {
      exit = { exitCode: null, signal: null };
      resolve(exit);
    });
    child.once('exit', (exitCode, signal) => {
      exit = { exitCode, signal };
      resolve(exit);
    });
  });

  if (options.detached) {
    child.unref();
  } else {
    track(child, exited);
  }

  return {
    get pid() {
      return child.pid ?? -1;
    },
    get exit() {
      return exit;
    },
    exited,
    async stop(graceMs) {
      if (exit !== undefined) return;
      child.kill('SIGTERM');
      if (await settlesWithin(exited, graceMs)) return;

      child.kill('SIGKILL');
      if (await settlesWithin(exited, KILL_WAIT_MS)) return;
      throw new TributaryError('KAFKA_BROKER_STOP_FAILED', `JVM ${child.pid} survived SIGKILL`);
    },
  };
}

/**
 * Stops a broker that another process started (the development daemon, known by its pid file).
 * Returns false when no such broker was running.
 */
export async function stopBrokerPid(pid: number, graceMs: number): Promise<boolean> {
  if (!isBrokerPid(pid)) return false;

  process.kill(pid, 'SIGTERM');
  if (await pidGoneWithin(pid, graceMs)) return true;

  process.kill(pid, 'SIGKILL');
  if (await pidGoneWithin(pid, KILL_WAIT_MS)) return true;
  throw new TributaryError('KAFKA_BROKER_STOP_FAILED', `JVM ${pid} survived SIGKILL`);
}

/** Whether `pid` is a live Kafka broker JVM (not a pid the OS has since given to another program). */
export function isBrokerPid(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('kafka.Kafka');
  } catch {
    return true; // No /proc (macOS): trust the pid file.
  }
}

/**
 * A JVM outlives the Node process that started it unless someone kills it. Jest or a test that
 * dies without running its teardown must not leave brokers behind, so every attached JVM is
 * killed when this process exits, however it exits short of SIGKILL.
 */
function track(child: ChildProcess, exited: Promise<ExitInfo>): void {
  attached.add(child);
  void exited.then(() => attached.delete(child));

  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const leftover of attached) leftover.kill('SIGKILL');
  });
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function pidGoneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie answers signal 0 but is gone for our purposes; its parent has yet to reap it.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}
