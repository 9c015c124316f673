import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import {
  Producer,
  deadLetterTopic,
  inNamespace,
  topics,
  typedTopic,
  workerEventCodec,
  type DeadLetter,
  type Kafka,
  type TopicSpec,
  type TypedTopic,
} from '@tributary/kafka';
import type { WorkerEvent } from '@tributary/worker-event';
import type { Connection } from '../connections/connection.ts';
import type { DeduplicatorOptions } from '../delivery/delivery-deduplicator.ts';
import { rawDeliveriesTopic, type RawDelivery } from '../delivery/raw-delivery.ts';
import { createWebhookApp } from '../http/create-webhook-app.ts';
import type { WebhookObserver } from '../http/refusal.ts';
import type { SourceAdapter } from '../source-adapter.ts';
import { defaultFreshnessMs } from '../verify/freshness.ts';
import { DeliveryPipeline, type ConnectionEntry } from './delivery-pipeline.ts';
import { HydrationWorker, type HydrationWorkerOptions } from './hydration-worker.ts';
import { KafkaHealth } from './kafka-health.ts';

export interface AdapterServiceOptions<P, C> {
  /** Names the consumer group (`{serviceName}.hydration`). */
  serviceName: string;
  adapter: SourceAdapter<P, C>;
  connections: readonly Connection[];
  kafka: Kafka;
  /** Topic specs, renamed in tests so runs don't see each other's records. */
  topics?: { workerEvents?: TopicSpec; rawDeliveries?: TopicSpec; deadLetter?: TopicSpec };
  /**
   * Prefix of the topic names and of the hydration group (`TOPIC_NAMESPACE`), so environments or
   * test runs can share a cluster without seeing each other's records.
   */
  topicNamespace?: string;
  observer?: WebhookObserver;
  hydrationEvents?: Pick<
    HydrationWorkerOptions<P, C>,
    'onHydrated' | 'onRetry' | 'onDeadLettered' | 'onJoinFailed'
  >;
  bodyLimitBytes?: number;
  freshnessMs?: number;
  dedupe?: DeduplicatorOptions;
  /** How long a webhook waits for Kafka before it is answered 503. Default 5 s. */
  kafkaSendTimeoutMs?: number;
  /**
   * How long a delivery waits, at most, for others to share its Kafka request (`linger.ms`).
   * Default 2 ms: at 3,000 deliveries a second, fewer and fuller requests cost the adapter about
   * a fifth less CPU per delivery, and the broker less work, for 1-2 ms more on each answer.
   */
  kafkaLingerMs?: number;
  /** Default true. Without it, deferred deliveries wait on Kafka for another instance. */
  hydrationWorker?: boolean;
}

export interface AdapterService {
  readonly app: express.Express;
  readonly server: Server;
  /**
   * Listens (port 0 for any free port) and starts the hydration worker, which joins its group in
   * the background: Kafka being down does not fail the start.
   */
  start(options: { port: number; host?: string }): Promise<AddressInfo>;
  /**
   * Stops accepting, lets in-flight requests finish until the deadline, then stops the hydration
   * worker and the producer. A request cut off at the deadline was not acknowledged, so its sender
   * retries; nothing acknowledged is lost.
   */
  close(deadlineMs?: number): Promise<void>;
}

/** Assembles one adapter process: HTTP app, producer, readiness and the hydration worker. */
export function createAdapterService<P, C>(options: AdapterServiceOptions<P, C>): AdapterService {
  const { adapter, kafka } = options;
  const connections = new Map<string, ConnectionEntry<C>>(
    options.connections.map((connection) => [
      connection.id,
      { connection, context: adapter.createContext(connection) },
    ]),
  );
  const namespace = options.topicNamespace;
  const workerEvents: TypedTopic<WorkerEvent> = inNamespace(
    typedTopic(options.topics?.workerEvents ?? topics.workerEvents, workerEventCodec),
    namespace,
  );
  const rawDeliveries: TypedTopic<RawDelivery> = inNamespace(
    rawDeliveriesTopic(options.topics?.rawDeliveries),
    namespace,
  );
  const deadLetter: TypedTopic<DeadLetter> = inNamespace(
    typedTopic(options.topics?.deadLetter ?? topics.deadLetter, deadLetterTopic.codec),
    namespace,
  );

  const producer = new Producer(kafka, {
    sendTimeoutMs: options.kafkaSendTimeoutMs ?? 5_000,
    lingerMs: options.kafkaLingerMs ?? 2,
  });
  const health = new KafkaHealth(kafka);
  const pipeline = new DeliveryPipeline<P, C>({
    adapter,
    connections,
    producer,
    health,
    workerEvents,
    rawDeliveries,
    freshnessMs: options.freshnessMs ?? defaultFreshnessMs,
    ...(options.dedupe ? { dedupe: options.dedupe } : {}),
  });

  let accepting = true;
  const app = createWebhookApp<C>({
    system: adapter.system,
    pipeline: pipeline as DeliveryPipeline<unknown, C>,
    connections,
    health,
    accepting: () => accepting,
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
  });
  const server = createServer(app);
  // Bound slow senders: a request must arrive whole within 30 s.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  // An idle keep-alive connection stays open longer than the sender's side keeps it: the load
  // balancers in front of a pod hold theirs for 60 s, and many HTTP clients ignore the
  // `Keep-Alive: timeout` hint. Closing first races the sender's next request on that connection,
  // which then fails without an answer (a POST is not retried by the client itself).
  server.keepAliveTimeout = 65_000;

  const worker =
    options.hydrationWorker === false
      ? undefined
      : new HydrationWorker<P, C>(kafka, {
          adapter,
          connections,
          producer,
          rawDeliveries,
          workerEvents,
          deadLetter,
          groupId: `${namespace ? `${namespace}.` : ''}${options.serviceName}.hydration`,
          ...options.hydrationEvents,
        });

  let closing: Promise<void> | undefined;

  return {
    app,
    server,

    async start({ port, host = '127.0.0.1' }) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      worker?.start();
      return server.address() as AddressInfo;
    },

    close(deadlineMs = 10_000) {
      closing ??= (async () => {
        accepting = false;
        const deadline = Date.now() + deadlineMs;

        // Step 1: stop accepting; idle keep-alive connections go now, busy ones when answered.
        const drained = new Promise<void>((resolve) => {
          if (!server.listening) resolve();
          else server.close(() => resolve());
        });
        server.closeIdleConnections();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          drained,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
          }),
        ]);
        clearTimeout(timer);
        server.closeAllConnections();

        // Step 2: the worker hands back what it has not committed; then the producer goes.
        await worker?.stop(Math.max(1_000, deadline - Date.now()));
        await producer.disconnect().catch(() => undefined);
        await Promise.all(
          [...connections.values()].map((entry) => adapter.closeContext?.(entry.context)),
        );
      })();
      return closing;
    },
  };
}
