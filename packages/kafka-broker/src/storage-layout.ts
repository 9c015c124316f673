import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { TributaryError } from '@tributary/errors';

import type { KafkaDistribution } from './distribution.ts';
import { jvmArgs } from './jvm-process.ts';
import { randomKafkaUuid } from './kafka-uuid.ts';
import { lastLines, runCommand } from './run-command.ts';
import {
  initialControllers,
  renderServerProperties,
  type NodeLayout,
  type PropertyValue,
} from './server-properties.ts';

/**
 * What a formatted data directory holds, saved as `<dataDir>/cluster.json` after every node's
 * storage is formatted. A restart needs exactly these ports and ids again: the controller quorum
 * knows its voters by node id, port and directory id.
 */
export interface ClusterLayout {
  clusterId: string;
  kafkaVersion: string;
  nodes: NodeLayout[];
}

export interface NodePaths {
  dir: string;
  configFile: string;
  dataDir: string;
  logsDir: string;
  logFile: string;
}

export interface JvmSettings {
  java: string;
  heapMb: number;
}

export function nodePaths(dataDir: string, nodeId: number): NodePaths {
  const dir = join(dataDir, `node-${nodeId}`);
  const logsDir = join(dir, 'logs');
  return {
    dir,
    configFile: join(dir, 'server.properties'),
    dataDir: join(dir, 'data'),
    logsDir,
    logFile: join(logsDir, 'server.log'),
  };
}

export async function readLayout(dataDir: string): Promise<ClusterLayout | undefined> {
  const file = join(dataDir, 'cluster.json');
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  return exists ? (JSON.parse(await readFile(file, 'utf8')) as ClusterLayout) : undefined;
}

export function newLayout(
  kafkaVersion: string,
  ports: readonly { broker: number; controller: number }[],
): ClusterLayout {
  return {
    clusterId: randomKafkaUuid(),
    kafkaVersion,
    nodes: ports.map((port, index) => ({
      nodeId: index + 1,
      brokerPort: port.broker,
      controllerPort: port.controller,
      directoryId: randomKafkaUuid(),
    })),
  };
}

/** Writes every node's server.properties; run before each start so overrides take effect. */
export async function writeNodeConfigs(
  dataDir: string,
  layout: ClusterLayout,
  overrides: Readonly<Record<string, PropertyValue>>,
): Promise<void> {
  for (const node of layout.nodes) {
    const paths = nodePaths(dataDir, node.nodeId);
    await mkdir(paths.logsDir, { recursive: true });
    const properties = renderServerProperties(node, layout.nodes, paths.dataDir, overrides);
    await writeFile(paths.configFile, properties);
  }
}

/**
 * Formats every node's log directory for a new KRaft cluster in which all nodes are controller
 * voters (for one node this is what `format --standalone` does), then records the layout.
 */
export async function formatStorage(
  dataDir: string,
  layout: ClusterLayout,
  distribution: KafkaDistribution,
  jvm: JvmSettings,
): Promise<void> {
  const controllers = initialControllers(layout.nodes);

  await Promise.all(
    layout.nodes.map(async (node) => {
      const paths = nodePaths(dataDir, node.nodeId);
      // Without cluster.json no format completed here: leftovers of an interrupted one go.
      await rm(paths.dataDir, { recursive: true, force: true });
      const args = jvmArgs(
        { ...jvm, distribution, logsDir: paths.logsDir },
        'kafka.tools.StorageTool',
        [
          'format',
          '--cluster-id',
          layout.clusterId,
          '--config',
          paths.configFile,
          '--initial-controllers',
          controllers,
        ],
        true,
      );

      const result = await runCommand(jvm.java, args, { timeoutMs: 120_000 }).catch(
        (cause: unknown) => {
          throw new TributaryError('KAFKA_BROKER_START_FAILED', `cannot run ${jvm.java}`, {
            cause,
          });
        },
      );
      if (result.exitCode !== 0) {
        throw new TributaryError(
          'KAFKA_BROKER_START_FAILED',
          `formatting the storage of Kafka node ${node.nodeId} failed ` +
            `(exit ${result.exitCode ?? result.signal}):\n${lastLines(result.output, 30)}`,
          { details: { nodeId: node.nodeId } },
        );
      }
    }),
  );

  await writeFile(join(dataDir, 'cluster.json'), `${JSON.stringify(layout, null, 2)}\n`);
}
