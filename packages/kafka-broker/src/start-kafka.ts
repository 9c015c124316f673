import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { TributaryError } from '@tributary/errors';

import { ensureKafkaDistribution, type DistributionOptions } from './distribution.ts';
import { findFreePorts } from './free-ports.ts';
import { spawnBroker, type BrokerProcess } from './jvm-process.ts';
import { lastLines } from './run-command.ts';
import { LOOPBACK, type NodeLayout, type PropertyValue } from './server-properties.ts';
import {
  formatStorage,
  newLayout,
  nodePaths,
  readLayout,
  writeNodeConfigs,
  type ClusterLayout,
  type JvmSettings,
} from './storage-layout.ts';
import { waitUntilReady } from './wait-until-ready.ts';

export interface BrokerPorts {
  /** The client (PLAINTEXT) listener. */
  broker: number;
  /** The KRaft controller listener. */
  controller: number;
}

/** The development broker's documented ports (`pnpm kafka start`, docker-compose.yml). */
export const DEV_PORTS: BrokerPorts = { broker: 9092, controller: 9093 };

export interface StartKafkaOptions extends DistributionOptions {
  /** Combined broker+controller nodes, all controller voters. Default 1; 3 for fault tests. */
  nodes?: number;
  /** Fixed ports, one entry per node. Default: free ports on 127.0.0.1. */
  ports?: readonly BrokerPorts[];
  /**
   * Keeps data here across starts (formatted on first use, reused afterwards). Default: a fresh
   * temporary folder, deleted by stop().
   */
  dataDir?: string;
  /** Extra or overriding server.properties entries, applied to every node. */
  serverProperties?: Readonly<Record<string, PropertyValue>>;
  /** Maximum heap per JVM. Default 512. */
  heapMb?: number;
  /** Default: $JAVA_HOME/bin/java, else `java` from PATH. */
  java?: string;
  /** How long a node may take to serve requests. Default 60 s. */
  startTimeoutMs?: number;
  /** How long a node may take to shut down after SIGTERM before it gets SIGKILL. Default 20 s. */
  stopTimeoutMs?: number;
  /**
   * Leave the JVMs running when this process exits (the development daemon). Default false:
   * brokers die with the process that started them even when nobody calls stop().
   */
  detached?: boolean;
}

export interface KafkaNode {
  readonly nodeId: number;
  /** host:port of its client listener. */
  readonly address: string;
  readonly brokerPort: number;
  readonly controllerPort: number;
  /** server.properties, data/ and logs/ of this node. */
  readonly dir: string;
  readonly logFile: string;
  /** The JVM's pid while it runs. */
  readonly pid: number | undefined;
  readonly running: boolean;
}

export interface KafkaCluster {
  readonly clusterId: string;
  readonly kafkaVersion: string;
  /** Every node's client address, the value for KAFKA_BROKERS and kafkajs `brokers`. */
  readonly brokers: readonly string[];
  readonly dataDir: string;
  readonly nodes: readonly KafkaNode[];
  /** Stops one node cleanly; its ports and data stay reserved for startBroker. */
  stopBroker(nodeId: number): Promise<void>;
  /** Starts a stopped node again, on the same ports and data; resolves once it serves requests. */
  startBroker(nodeId: number): Promise<void>;
  restartBroker(nodeId: number): Promise<void>;
  /** Stops every node; deletes the data when it lives in a temporary folder. Idempotent. */
  stop(): Promise<void>;
}

interface NodeState {
  layout: NodeLayout;
  process: BrokerProcess | undefined;
}

/**
 * Starts a real Apache Kafka broker (or a cluster of them) on 127.0.0.1 and resolves once every
 * node serves requests. The caller owns the result and must stop() it.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<KafkaCluster> {
  const distribution = await ensureKafkaDistribution(options);
  const jvm: JvmSettings = {
    java: options.java ?? defaultJava(),
    heapMb: options.heapMb ?? 512,
  };
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  const temporary = options.dataDir === undefined;
  const dataDir =
    options.dataDir === undefined
      ? await mkdtemp(join(tmpdir(), 'tributary-kafka-'))
      : resolve(options.dataDir);

  let nodes: NodeState[] = [];
  let stopped = false;

  // Step 1: a formatted data directory, new or reused.
  let layout: ClusterLayout;
  try {
    const saved = await readLayout(dataDir);
    layout = saved ?? newLayout(distribution.version, await portsFor(options));
    if (saved !== undefined) checkReuse(dataDir, saved, options);

    await writeNodeConfigs(dataDir, layout, options.serverProperties ?? {});
    if (saved === undefined) await formatStorage(dataDir, layout, distribution, jvm);
  } catch (error) {
    if (temporary) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  nodes = layout.nodes.map((node) => ({ layout: node, process: undefined }));

  const find = (nodeId: number): NodeState => {
    const state = nodes.find((node) => node.layout.nodeId === nodeId);
    if (state === undefined) throw new RangeError(`no Kafka node ${nodeId} in this cluster`);
    return state;
  };
  const isRunning = (state: NodeState): boolean =>
    state.process !== undefined && state.process.exit === undefined;
  const runningIds = (): number[] => nodes.filter(isRunning).map((state) => state.layout.nodeId);

  const launch = (state: NodeState): void => {
    const paths = nodePaths(dataDir, state.layout.nodeId);
    state.process = spawnBroker({
      ...jvm,
      distribution,
      logsDir: paths.logsDir,
      configFile: paths.configFile,
      detached: options.detached ?? false,
    });
  };

  const awaitReady = async (state: NodeState): Promise<void> => {
    const readiness = await waitUntilReady({
      address: `${LOOPBACK}:${state.layout.brokerPort}`,
      expectedNodeIds: runningIds(),
      timeoutMs: startTimeoutMs,
      abandon: () => {
        const exit = state.process?.exit;
        return exit === undefined
          ? undefined
          : `the JVM exited (${exit.exitCode ?? exit.signal}) before it was ready`;
      },
    });
    if (!readiness.ready) {
      throw new TributaryError(
        'KAFKA_BROKER_START_FAILED',
        `Kafka node ${state.layout.nodeId} on ${LOOPBACK}:${state.layout.brokerPort}: ` +
          `${readiness.reason}\n${await logTail(dataDir, state.layout.nodeId)}`,
        { details: { nodeId: state.layout.nodeId, dataDir } },
      );
    }
  };

  const stopNode = async (state: NodeState): Promise<void> => {
    const running = state.process;
    if (running === undefined) return;
    await running.stop(stopTimeoutMs);
    state.process = undefined;
  };

  const cluster: KafkaCluster = {
    clusterId: layout.clusterId,
    kafkaVersion: distribution.version,
    brokers: layout.nodes.map((node) => `${LOOPBACK}:${node.brokerPort}`),
    dataDir,
    nodes: nodes.map((state) => describeNode(state, dataDir, isRunning)),

    stopBroker: async (nodeId) => stopNode(find(nodeId)),

    startBroker: async (nodeId) => {
      const state = find(nodeId);
      if (isRunning(state)) return;
      launch(state);
      await awaitReady(state);
    },

    restartBroker: async (nodeId) => {
      await cluster.stopBroker(nodeId);
      await cluster.startBroker(nodeId);
    },

    stop: async () => {
      if (stopped) return;
      stopped = true;
      // All at once: a combined node shuts its broker down first, which needs an active
      // controller, so stopping them one by one would leave the last without a quorum.
      await Promise.all(nodes.map(stopNode));
      if (temporary) await rm(dataDir, { recursive: true, force: true });
    },
  };

  // Step 2: start every node, then wait for each to see all of them.
  try {
    nodes.forEach(launch);
    await Promise.all(nodes.map(awaitReady));
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    throw error;
  }

  return cluster;
}

function checkReuse(dataDir: string, saved: ClusterLayout, options: StartKafkaOptions): void {
  const nodeCountDiffers = options.nodes !== undefined && options.nodes !== saved.nodes.length;
  const portsDiffer =
    options.ports !== undefined &&
    (options.ports.length !== saved.nodes.length ||
      options.ports.some(
        (port, index) =>
          port.broker !== saved.nodes[index]?.brokerPort ||
          port.controller !== saved.nodes[index]?.controllerPort,
      ));

  if (nodeCountDiffers || portsDiffer) {
    throw new TributaryError(
      'KAFKA_BROKER_START_FAILED',
      `${dataDir} holds a Kafka cluster with other nodes or ports; delete it to start afresh`,
      { details: { dataDir } },
    );
  }
}

async function portsFor(options: StartKafkaOptions): Promise<readonly BrokerPorts[]> {
  if (options.ports !== undefined) {
    if (options.nodes !== undefined && options.nodes !== options.ports.length) {
      throw new RangeError(`${options.nodes} nodes but ${options.ports.length} port pairs`);
    }
    return options.ports;
  }
  return freePortPairs(options.nodes ?? 1);
}

async function freePortPairs(count: number): Promise<BrokerPorts[]> {
  const ports = await findFreePorts(count * 2);
  return Array.from({ length: count }, (_, index) => ({
    broker: ports[index * 2] as number,
    controller: ports[index * 2 + 1] as number,
  }));
}

function describeNode(
  state: NodeState,
  dataDir: string,
  isRunning: (state: NodeState) => boolean,
): KafkaNode {
  const paths = nodePaths(dataDir, state.layout.nodeId);
  return {
    nodeId: state.layout.nodeId,
    address: `${LOOPBACK}:${state.layout.brokerPort}`,
    brokerPort: state.layout.brokerPort,
    controllerPort: state.layout.controllerPort,
    dir: paths.dir,
    logFile: paths.logFile,
    get pid() {
      return isRunning(state) ? state.process?.pid : undefined;
    },
    get running() {
      return isRunning(state);
    },
  };
}

/** The end of a node's server.log and JVM output, for a start-up error. */
async function logTail(dataDir: string, nodeId: number): Promise<string> {
  const paths = nodePaths(dataDir, nodeId);
  const read = (file: string): Promise<string> => readFile(file, 'utf8').catch(() => '');
  const serverLog = lastLines(await read(paths.logFile), 40);
  const jvmOut = lastLines(await read(join(paths.logsDir, 'jvm.out')), 20);

  return [
    `--- ${paths.logFile} (last lines) ---`,
    serverLog === '' ? '(empty)' : serverLog,
    ...(jvmOut === '' ? [] : [`--- JVM output ---`, jvmOut]),
  ].join('\n');
}

function defaultJava(): string {
  const home = process.env['JAVA_HOME'];
  return home === undefined || home === '' ? 'java' : join(home, 'bin', 'java');
}
