import { SpanKind, SpanStatusCode, context as otelContext, trace } from '@opentelemetry/api';
import { Partitioners, type Kafka, type Producer as KafkaProducer } from 'kafkajs';
import { TributaryError } from '@tributary/errors';
import { metricSpecs, record } from '@tributary/telemetry';
import { toTributaryError } from './kafka-errors.ts';
import { injectTraceContext, type Headers } from './trace-context.ts';
import type { TypedTopic } from './typed-topic.ts';

export interface OutgoingRecord<T> {
  /** Per-worker key: one worker's records share a partition and so keep their order. */
  key: string;
  value: T;
  headers?: Record<string, string>;
}

export interface ProducerOptions {
  /** Upper bound on one `send`, connection included; past it the send fails as unavailable. */
  sendTimeoutMs?: number;
  /**
   * Most bytes of record values and keys coalesced into one request. Below the broker's default
   * `message.max.bytes` (1 MiB), which a partition's share of one request must not exceed.
   */
  maxRequestBytes?: number;
}

const tracer = trace.getTracer('@tributary/kafka');

interface Pending {
  messages: { key: string; value: Buffer; headers: Headers }[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An idempotent producer with `acks=all`: `send` resolves only once every in-sync replica has the
 * records, and fails, rather than hangs, when the cluster does not answer in time.
 *
 * Sends to one topic are coalesced: while a request is in flight, later sends queue up and go
 * out together as the next request. Under load (a burst of webhooks) this turns many small
 * round trips into a few large ones without adding a linger delay when the producer is idle.
 */
export class Producer {
  readonly #producer: KafkaProducer;
  readonly #sendTimeoutMs: number;
  readonly #maxRequestBytes: number;
  readonly #queues = new Map<string, Pending[]>();
  #connecting: Promise<void> | undefined;

  constructor(kafka: Kafka, options: ProducerOptions = {}) {
    this.#sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
    this.#maxRequestBytes = options.maxRequestBytes ?? 768 * 1024;
    this.#producer = kafka.producer({
      idempotent: true,
      // One request in flight per broker keeps per-partition order through retries.
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      // Bounded, unlike the library's default for idempotent producers (retry forever): the
      // broker's sequence numbers still de-duplicate retries within this producer session.
      retry: { initialRetryTime: 200, retries: 6, maxRetryTime: 3_000 },
    });
  }

  async send<T>(topic: TypedTopic<T>, records: OutgoingRecord<T>[]): Promise<void> {
    if (records.length === 0) return;
    const name = topic.spec.name;

    // Encoding validates: an invalid record fails here, before anything reaches the broker.
    const messages = records.map((record) => ({
      key: record.key,
      value: topic.codec.encode(record.value),
      headers: { ...record.headers } as Headers,
    }));

    const span = tracer.startSpan(`send ${name}`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.destination.name': name,
        'messaging.batch.message_count': records.length,
      },
    });
    const spanContext = trace.setSpan(otelContext.active(), span);
    for (const message of messages) injectTraceContext(message.headers, spanContext);

    const startedAt = performance.now();
    let outcome = 'acknowledged';
    try {
      return await this.#withDeadline(
        new Promise<void>((resolve, reject) =>
          this.#enqueue(name, { messages, bytes: byteSize(messages), resolve, reject }),
        ),
        name,
      );
    } catch (error) {
      const failure = toTributaryError(error, `send to ${name}`);
      outcome = failure.code;
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.code });
      span.setAttribute('error.type', failure.code);
      throw failure;
    } finally {
      span.end();
      record(metricSpecs.produceDuration, (performance.now() - startedAt) / 1000, {
        topic: name,
        outcome,
      });
    }
  }

  async disconnect(): Promise<void> {
    this.#connecting = undefined;
    await this.#producer.disconnect();
  }

  #enqueue(topic: string, pending: Pending): void {
    const queue = this.#queues.get(topic);
    if (queue) {
      queue.push(pending);
      return;
    }
    this.#queues.set(topic, [pending]);
    void this.#drain(topic);
  }

  /** Sends whatever queued for `topic`, as one request per round, until nothing is left. */
  async #drain(topic: string): Promise<void> {
    for (;;) {
      const queue = this.#queues.get(topic) ?? [];
      if (queue.length === 0) {
        this.#queues.delete(topic);
        return;
      }
      // Whole sends only, up to the byte budget; one send larger than the budget goes alone.
      let bytes = 0;
      let take = 0;
      while (take < queue.length) {
        const size = queue[take]!.bytes;
        if (take > 0 && bytes + size > this.#maxRequestBytes) break;
        bytes += size;
        take++;
      }
      const round = queue.splice(0, take);
      try {
        await this.#connect();
        await this.#producer.send({
          topic,
          acks: -1,
          messages: round.flatMap((pending) => pending.messages),
        });
        for (const pending of round) pending.resolve();
      } catch (error) {
        for (const pending of round) pending.reject(error);
      }
    }
  }

  #connect(): Promise<void> {
    this.#connecting ??= this.#producer.connect().catch((error: unknown) => {
      this.#connecting = undefined;
      throw error;
    });
    return this.#connecting;
  }

  async #withDeadline<R>(work: Promise<R>, topic: string): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new TributaryError(
            'KAFKA_UNAVAILABLE',
            `send to ${topic}: no acknowledgement within ${this.#sendTimeoutMs} ms`,
          ),
        );
      }, this.#sendTimeoutMs);
    });
    try {
      return await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function byteSize(messages: readonly { key: string; value: Buffer }[]): number {
  let bytes = 0;
  for (const message of messages) bytes += message.value.length + Buffer.byteLength(message.key);
  return bytes;
}
