import { setTimeout as sleep } from 'node:timers/promises';

import { Kafka, logLevel } from 'kafkajs';

const POLL_INTERVAL_MS = 200;

export interface ReadinessProbe {
  /** host:port of the broker to ask. */
  address: string;
  /** Node ids that must be in the cluster metadata this broker serves. */
  expectedNodeIds: readonly number[];
  timeoutMs: number;
  /** A reason to give up at once, e.g. the JVM has exited; undefined while worth waiting. */
  abandon(): string | undefined;
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Waits until a broker answers a real client request with every expected node registered and
 * unfenced. An open port is not enough: the broker listens before it has caught up with the
 * metadata log, and a producer talking to it then would get errors a test should never see.
 */
export async function waitUntilReady(probe: ReadinessProbe): Promise<Readiness> {
  const deadline = Date.now() + probe.timeoutMs;
  let lastProblem = 'no answer yet';

  while (Date.now() < deadline) {
    const abandoned = probe.abandon();
    if (abandoned !== undefined) return { ready: false, reason: abandoned };

    const problem = await probeKafka(probe.address, probe.expectedNodeIds);
    if (problem === undefined) return { ready: true };
    lastProblem = problem;

    await sleep(POLL_INTERVAL_MS);
  }

  return {
    ready: false,
    reason: `not ready within ${probe.timeoutMs} ms (last check: ${lastProblem})`,
  };
}

/**
 * One DescribeCluster request to the broker at `address`. Resolves to undefined when it answered
 * and knows every expected node, otherwise to what is wrong.
 */
export async function probeKafka(
  address: string,
  expectedNodeIds: readonly number[] = [],
): Promise<string | undefined> {
  const admin = new Kafka({
    clientId: 'tributary-kafka-broker-probe',
    brokers: [address],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();

  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const registered = new Set(cluster.brokers.map((broker) => broker.nodeId));
    const missing = expectedNodeIds.filter((nodeId) => !registered.has(nodeId));
    return missing.length === 0 ? undefined : `nodes ${missing.join(', ')} not registered`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
