import { setTimeout as sleep } from 'node:timers/promises';
import { TributaryError } from '@tributary/errors';
import {
  BatchConsumer,
  deadLetterOriginal,
  toTributaryError,
  type BatchContext,
  type ConsumedRecord,
  type DeadLetter,
  type Kafka,
  type Producer,
  type TypedTopic,
} from '@tributary/kafka';
import { workerKey, type WorkerEvent } from '@tributary/worker-event';
import type { RawDelivery } from '../delivery/raw-delivery.ts';
import { backoffMs, type BackoffOptions } from '../hydration/backoff.ts';
import type { SourceAdapter } from '../source-adapter.ts';
import type { ConnectionEntry } from './delivery-pipeline.ts';
import { normalizeDelivery } from './normalize-delivery.ts';

export interface HydrationWorkerOptions<P, C> {
  adapter: SourceAdapter<P, C>;
  connections: ReadonlyMap<string, ConnectionEntry<C>>;
  producer: Producer;
  rawDeliveries: TypedTopic<RawDelivery>;
  workerEvents: TypedTopic<WorkerEvent>;
  deadLetter: TypedTopic<DeadLetter>;
  /** One group per service: every adapter reads the shared topic and keeps its own records. */
  groupId: string;
  /** Upper bound of the wait between attempts of a delivery that can still succeed. */
  maxRetryDelayMs?: number;
  /** Waits between attempts to join the group while Kafka is unreachable. Default 1 s to 30 s. */
  joinBackoff?: BackoffOptions;
  onHydrated?(event: { connectionId: string; events: number; attempts: number }): void;
  onRetry?(event: { connectionId: string; code: string; attempt: number; delayMs: number }): void;
  onDeadLettered?(event: { connectionId: string; code: string }): void;
  /** Joining the group failed, or the consumer stopped for good; another attempt follows. */
  onJoinFailed?(event: { code: string; attempt: number; delayMs: number }): void;
}

/**
 * Turns raw deliveries into canonical events after the sender was answered. A record's offset is
 * committed only once its events (or its dead letter) are on Kafka; a failure that may pass (the
 * vendor API or Kafka down) is retried with backoff for as long as it takes, holding the partition,
 * so per-worker order survives.
 */
export class HydrationWorker<P, C> {
  readonly #kafka: Kafka;
  readonly #options: HydrationWorkerOptions<P, C>;
  readonly #stopping = new AbortController();
  #consumer: BatchConsumer<RawDelivery> | undefined;
  #joining: Promise<void> | undefined;

  constructor(kafka: Kafka, options: HydrationWorkerOptions<P, C>) {
    this.#kafka = kafka;
    this.#options = options;
  }

  /** True while the worker holds an assignment in its group. */
  get member(): boolean {
    return this.#consumer?.member ?? false;
  }

  /**
   * Joins the group in the background and returns at once: Kafka being down when the process
   * starts must not stop it, since the service still answers webhooks (503) and readiness. Failed
   * attempts are retried with backoff until `stop`, and so is a consumer that stopped for good.
   */
  start(): void {
    this.#joining ??= this.#keepJoined();
  }

  async stop(deadlineMs = 10_000): Promise<void> {
    this.#stopping.abort(new Error('hydration worker stopping'));
    await this.#consumer?.stop(deadlineMs);
    // An attempt still connecting gives up on its own; it must not hold the shutdown.
    await Promise.race([this.#joining, sleep(deadlineMs, undefined, { ref: false })]);
  }

  async #keepJoined(): Promise<void> {
    const signal = this.#stopping.signal;
    const backoff = this.#options.joinBackoff ?? { baseMs: 1_000, maxMs: 30_000 };
    for (let attempt = 1; !signal.aborted; attempt++) {
      // The library restarts a consumer after most failures; this one settles when it gave up.
      const stoppedForGood = Promise.withResolvers<TributaryError>();
      const consumer = new BatchConsumer(this.#kafka, {
        groupId: this.#options.groupId,
        topic: this.#options.rawDeliveries,
        handle: (records, context) => this.#handle(records, context),
        onMembership: ({ member }) => {
          if (member) attempt = 1;
        },
        onCrash: (error, restarting) => {
          if (!restarting) stoppedForGood.resolve(error);
        },
      });
      this.#consumer = consumer;

      let failure: TributaryError | undefined;
      try {
        await consumer.start();
        failure = await Promise.race([stoppedForGood.promise, aborted(signal)]);
      } catch (error) {
        failure = toTributaryError(error, 'join the hydration group');
      }
      if (signal.aborted) return;

      await consumer.stop(1_000).catch(() => undefined);
      const delayMs = backoffMs(attempt, backoff);
      this.#options.onJoinFailed?.({
        code: failure?.code ?? 'KAFKA_UNAVAILABLE',
        attempt,
        delayMs,
      });
      await sleep(delayMs, undefined, { signal }).catch(() => undefined);
    }
  }

  async #handle(records: ConsumedRecord<RawDelivery>[], context: BatchContext): Promise<void> {
    for (const record of records) {
      context.signal.throwIfAborted();
      await this.#process(record, context.signal);
      await context.commit(record.offset);
    }
  }

  async #process(record: ConsumedRecord<RawDelivery>, signal: AbortSignal): Promise<void> {
    const { adapter, connections } = this.#options;
    const decoded = record.decode();
    if (!decoded.ok) {
      await this.#deadLetter(record, decoded.error);
      return;
    }
    const delivery = decoded.value;
    // Another adapter's delivery on the shared topic.
    if (delivery.system !== adapter.system) return;
    const entry = connections.get(delivery.connectionId);
    if (!entry) {
      const error = new TributaryError(
        'WEBHOOK_CONNECTION_UNKNOWN',
        'the connection is no longer configured',
      );
      await this.#deadLetter(record, error, delivery.connectionId);
      return;
    }

    // The vendor's read-after-write lag: reading sooner may return the old record.
    const waitMs = Date.parse(delivery.notBefore) - Date.now();
    if (waitMs > 0) await sleep(waitMs, undefined, { signal });

    for (let attempt = 1; ; attempt++) {
      try {
        const events = await normalizeDelivery(
          adapter,
          delivery.payload as P,
          {
            connection: entry.connection,
            deliveryId: delivery.deliveryId,
            idempotencyKey: delivery.idempotencyKey,
            receivedAt: delivery.receivedAt,
            signal,
          },
          entry.context,
        );
        await this.#options.producer.send(
          this.#options.workerEvents,
          events.map((event) => ({ key: workerKey(event), value: event })),
        );
        this.#options.onHydrated?.({
          connectionId: entry.connection.id,
          events: events.length,
          attempts: attempt,
        });
        return;
      } catch (error) {
        signal.throwIfAborted();
        const failure =
          error instanceof TributaryError
            ? error
            : // A bug of ours, not a passing fault: it would fail the same way forever and hold
              // the partition, so the delivery is dead-lettered for a replay once fixed.
              new TributaryError('WEBHOOK_INTERNAL', 'hydration failed unexpectedly', {
                cause: error,
                retryable: false,
              });
        if (!failure.retryable) {
          await this.#deadLetter(record, failure, delivery.connectionId);
          return;
        }
        const delayMs =
          failure.retryAfterMs ??
          backoffMs(attempt, { baseMs: 500, maxMs: this.#options.maxRetryDelayMs ?? 60_000 });
        this.#options.onRetry?.({
          connectionId: entry.connection.id,
          code: failure.code,
          attempt,
          delayMs,
        });
        await sleep(delayMs, undefined, { signal });
      }
    }
  }

  async #deadLetter(
    record: ConsumedRecord<RawDelivery>,
    error: TributaryError,
    connectionId = '',
  ): Promise<void> {
    const letter: DeadLetter = {
      specVersion: '1',
      code: error.code,
      reason: error.message,
      stage: 'hydrator',
      failedAt: new Date().toISOString(),
      source: {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        key: record.key,
      },
      original: deadLetterOriginal(record.raw),
    };
    await this.#options.producer.send(this.#options.deadLetter, [
      { key: record.key ?? '', value: letter },
    ]);
    this.#options.onDeadLettered?.({
      connectionId,
      code: error.code,
    });
  }
}

/** Settles (with nothing) once `signal` aborts. */
function aborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}
