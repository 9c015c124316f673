export {
  KAFKA_VERSION,
  ensureKafkaDistribution,
  type DistributionOptions,
  type KafkaDistribution,
} from './distribution.ts';
export { findFreePorts } from './free-ports.ts';
export { isBrokerPid, stopBrokerPid } from './jvm-process.ts';
export { defaultCacheDir, devDataDir } from './paths.ts';
export type { PropertyValue } from './server-properties.ts';
export {
  DEV_PORTS,
  startKafka,
  type BrokerPorts,
  type KafkaCluster,
  type KafkaNode,
  type StartKafkaOptions,
} from './start-kafka.ts';
export { probeKafka } from './wait-until-ready.ts';
