export const LOOPBACK = '127.0.0.1';

export interface NodeLayout {
  nodeId: number;
  brokerPort: number;
  controllerPort: number;
  /** The metadata log directory's id, which the controller quorum knows each voter by. */
  directoryId: string;
}

export type PropertyValue = string | number | boolean;

/**
 * The `server.properties` of one combined broker+controller node of a cluster whose nodes are
 * all controller voters. Everything binds to loopback. `overrides` win over the defaults.
 */
export function renderServerProperties(
  node: NodeLayout,
  cluster: readonly NodeLayout[],
  logDir: string,
  overrides: Readonly<Record<string, PropertyValue>> = {},
): string {
  const size = cluster.length;
  const properties: Record<string, PropertyValue> = {
    'process.roles': 'broker,controller',
    'node.id': node.nodeId,
    'controller.quorum.bootstrap.servers': cluster
      .map((voter) => `${LOOPBACK}:${voter.controllerPort}`)
      .join(','),
    listeners: `PLAINTEXT://${LOOPBACK}:${node.brokerPort},CONTROLLER://${LOOPBACK}:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${LOOPBACK}:${node.brokerPort},CONTROLLER://${LOOPBACK}:${node.controllerPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'log.dirs': logDir,

    // Topics exist only when our code declares them, as in production.
    'auto.create.topics.enable': false,
    'num.partitions': 1,
    'default.replication.factor': 1,

    // Internal topics replicate to every node up to three, so a three-node cluster survives the
    // loss of one broker the way a production cluster would.
    'offsets.topic.replication.factor': Math.min(size, 3),
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': Math.min(size, 3),
    'transaction.state.log.min.isr': Math.min(size, 2),
    'share.coordinator.state.topic.replication.factor': Math.min(size, 3),
    'share.coordinator.state.topic.min.isr': Math.min(size, 2),

    // A consumer group starts consuming at once instead of waiting for more members.
    'group.initial.rebalance.delay.ms': 0,

    // A restarted node may register again only after its previous session expired (9 s by
    // default); shorter sessions make restarts and the detection of a killed node quicker.
    'broker.heartbeat.interval.ms': 500,
    'broker.session.timeout.ms': 3_000,
    ...overrides,
  };

  return Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeValue(String(value))}`)
    .join('\n')
    .concat('\n');
}

/** `--initial-controllers` of `kafka-storage format`: id@host:port:directoryId, comma-separated. */
export function initialControllers(cluster: readonly NodeLayout[]): string {
  return cluster
    .map((voter) => `${voter.nodeId}@${LOOPBACK}:${voter.controllerPort}:${voter.directoryId}`)
    .join(',');
}

// A backslash is the escape character of the .properties format (Windows paths).
function escapeValue(value: string): string {
  return value.replaceAll('\\', '\\\\');
}
