import {
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  trace,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { Batch, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { TributaryError } from '@tributary/errors';
import { metricSpecs, observeGauge, record } from '@tributary/telemetry';
import { toTributaryError } from './kafka-errors.ts';
import { extractTraceContext, type Headers } from './trace-context.ts';
import type { Codec } from './codec.ts';
import type { TypedTopic } from './typed-topic.ts';

/** A record's value, decoded and validated, or the reason it could not be. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: TributaryError };

/**
 * A consumed record. Its value is decoded when asked for, not when the batch arrives: a handler
 * that takes one record at a time then holds one decoded value at a time, and a value it is done
 * with dies young instead of outliving the batch (a worker event decodes into several kilobytes
 * of objects, and a batch holds hundreds).
 */
export interface ConsumedRecord<T> {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The broker timestamp, milliseconds since the epoch. */
  timestamp: number;
  headers: Headers;
  /** The producer's trace context, from the record headers. */
  traceContext: Context;
  /** The original bytes, kept so a refused record can be dead-lettered exactly as it arrived. */
  raw: Buffer | null;
  /** Decodes and validates the value; each call decodes afresh, so keep what it returns. */
  decode(): Decoded<T>;
}

export interface BatchContext {
  topic: string;
  partition: number;
  /** Aborted when the consumer stops or loses the partition: hand the batch back, don't commit. */
  signal: AbortSignal;
  /** Commits progress up to and including `offset` within a long batch. */
  commit(offset: string): Promise<void>;
}

export interface BatchConsumerOptions<T> {
  groupId: string;
  topic: TypedTopic<T>;
  /**
   * Called with each fetched batch of one partition, in offset order. When it resolves, every
   * record of the batch is done and the offset after the last one is committed, even while the
   * consumer stops; when it throws (for instance because `signal` aborted and it handed the
   * batch back), nothing more is committed and the records are read again.
   */
  handle: (records: ConsumedRecord<T>[], context: BatchContext) => Promise<void>;
  /** How many partitions are handled at once; their batches may share downstream work. */
  concurrency?: number;
  /**
   * Lets batches of a partition overlap. Without it the library fetches a partition again only
   * once its batch is done, so a handler that gathers records into larger units of work (or
   * waits for company before sending) starves at the end of every fetch. With it, fetching goes
   * on while earlier batches are handled, up to this many records handed over and not yet done
   * (a single batch larger than that goes when nothing else is out); offsets are still
   * committed in order, each only once every earlier batch of its partition is done.
   */
  maxRecordsInFlight?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  fromBeginning?: boolean;
  /** Group membership changes, for readiness and metrics. */
  onMembership?: (event: { member: boolean; partitions: number[] }) => void;
  /** The consumer crashed; `restarting` says whether the library will rejoin by itself. */
  onCrash?: (error: TributaryError, restarting: boolean) => void;
}

const tracer = trace.getTracer('@tributary/kafka');

/**
 * A consumer group member with manual offset commits. Offsets move only when the handler says a
 * batch is done, heartbeats keep flowing while it works (a throttled upload may wait minutes),
 * and a record that fails to decode reaches the handler as an error value instead of stopping
 * the partition.
 */
export class BatchConsumer<T> {
  readonly #consumer: Consumer;
  readonly #options: BatchConsumerOptions<T>;
  readonly #stopping = new AbortController();
  readonly #heartbeatIntervalMs: number;
  #member = false;
  #partitions: number[] = [];
  /** Batches being handled; stopping waits for them so their commits still go through. */
  readonly #active = new Set<Promise<void>>();
  /** Per owned partition: the high watermark last fetched and the next offset to process. */
  readonly #progress = new Map<number, { highWatermark: bigint; next: bigint }>();
  /**
   * Overlapping batches only: per partition, a lane whose tail says whether every batch handed
   * over so far is done and committed; a new batch commits after it. Abandoning work replaces
   * the lane, and batches of a replaced lane never commit.
   */
  readonly #lanes = new Map<number, { tail: Promise<boolean> }>();
  /** Overlapping batches only: how to abandon each batch in flight, on a rebalance or a stop. */
  readonly #handBacks = new Set<AbortController>();
  #recordsInFlight = 0;
  #capacityWaiters: (() => void)[] = [];
  #stopObservingLag: (() => void) | undefined;

  constructor(kafka: Kafka, options: BatchConsumerOptions<T>) {
    this.#options = options;
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3_000;
    this.#consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.#heartbeatIntervalMs,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 250,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    const events = this.#consumer.events;
    this.#consumer.on(events.GROUP_JOIN, ({ payload }) => {
      // A new generation reads every partition from its committed offset again.
      this.#abandonInFlight(new Error('group rejoined'));
      this.#member = true;
      this.#partitions = (payload.memberAssignment[options.topic.spec.name] ?? [])
        .slice()
        .sort((a, b) => a - b);
      for (const partition of this.#progress.keys()) {
        if (!this.#partitions.includes(partition)) this.#progress.delete(partition);
      }
      options.onMembership?.({ member: true, partitions: this.#partitions });
    });
    for (const leaving of [events.STOP, events.DISCONNECT, events.REBALANCING]) {
      this.#consumer.on(leaving, () => {
        this.#member = false;
        // The next owner, or this member after rejoining, starts from the committed offsets.
        this.#abandonInFlight(new Error('partitions rebalancing'));
        options.onMembership?.({ member: false, partitions: [] });
      });
    }
    this.#consumer.on(events.CRASH, ({ payload }) => {
      this.#member = false;
      this.#abandonInFlight(new Error('consumer crashed'));
      options.onCrash?.(toTributaryError(payload.error, 'consumer'), payload.restart);
    });
  }

  /** True while this consumer holds an assignment in its group. */
  get member(): boolean {
    return this.#member;
  }

  get partitions(): readonly number[] {
    return this.#partitions;
  }

  /** Records behind the high watermark per owned partition, as of the last fetch or commit. */
  lag(): Map<number, bigint> {
    const lag = new Map<number, bigint>();
    for (const [partition, { highWatermark, next }] of this.#progress) {
      lag.set(partition, highWatermark > next ? highWatermark - next : 0n);
    }
    return lag;
  }

  async start(): Promise<void> {
    const { topic, groupId } = this.#options;
    this.#stopObservingLag ??= observeGauge(metricSpecs.consumerLag, () =>
      [...this.lag()].map(
        ([partition, lag]) =>
          [Number(lag), { topic: topic.spec.name, group: groupId, partition }] as const,
      ),
    );
    await this.#consumer.connect();
    await this.#consumer.subscribe({
      topic: this.#options.topic.spec.name,
      fromBeginning: this.#options.fromBeginning ?? true,
    });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.#options.concurrency ?? 1,
      eachBatch: (payload) => {
        const handling = this.#eachBatch(payload);
        const tracked = handling.catch(() => {}).finally(() => this.#active.delete(tracked));
        this.#active.add(tracked);
        return handling;
      },
    });
  }

  /**
   * Stops fetching, tells in-flight handlers to hand their batches back, and leaves the group.
   * Past `deadlineMs` the disconnect is abandoned; uncommitted records are simply read again by
   * whichever member takes the partition.
   */
  async stop(deadlineMs = 10_000): Promise<void> {
    this.#stopping.abort(new Error('consumer stopping'));
    this.#capacityFreed();
    this.#stopObservingLag?.();
    this.#stopObservingLag = undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deadlineMs);
    });
    // The client drops commits once it is told to stop, so let batches that finished their
    // work commit first; the rest hand their records back.
    await Promise.race([Promise.allSettled([...this.#active]), deadline]);
    await Promise.race([this.#consumer.disconnect(), deadline]);
    clearTimeout(timer);
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    if (this.#stopping.signal.aborted) return;

    // Only these outlive the hand-over, never the decoded records (see `#handOver`).
    const { topic, partition } = batch;
    const count = batch.messages.length;
    const firstOffset = batch.messages[0]!.offset;
    const lastOffset = batch.messages[count - 1]!.offset;

    // `next` moves only with commits: with overlapping batches, records fetched but not yet
    // done still count as lag.
    const highWatermark = BigInt(batch.highWatermark);
    const progress = this.#progress.get(partition);
    if (progress) progress.highWatermark = highWatermark;
    else {
      const next = BigInt(batch.firstOffset() ?? firstOffset);
      this.#progress.set(partition, { highWatermark, next });
    }
    record(metricSpecs.consumerBatchRecords, count, { topic });

    // Lost the partition or asked to stop: abort the handler so it hands the batch back.
    const handedBack = new AbortController();
    const onStop = () => handedBack.abort(this.#stopping.signal.reason);
    this.#stopping.signal.addEventListener('abort', onStop, { once: true });
    const beat = setInterval(() => {
      if (isStale()) handedBack.abort(new Error('partition revoked'));
      heartbeat().catch((error: unknown) => {
        // A rebalance answers the heartbeat with an error: the partition may be moving.
        handedBack.abort(error);
      });
    }, this.#heartbeatIntervalMs);

    const commit = async (offset: string) => {
      // A revoked partition belongs to another member now; its commits would be refused.
      if (isStale()) return;
      const next = BigInt(offset) + 1n;
      await this.#consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
      const progress = this.#progress.get(partition);
      if (progress && progress.next < next) progress.next = next;
    };
    const context: BatchContext = { topic, partition, signal: handedBack.signal, commit };

    const stopBeating = () => {
      clearInterval(beat);
      this.#stopping.signal.removeEventListener('abort', onStop);
    };
    const finish = (span: Span, error?: unknown) => {
      stopBeating();
      // Handed back on purpose is not a failure: the records are read again.
      if (error !== undefined && !handedBack.signal.aborted) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: toTributaryError(error, 'handle').code,
        });
      }
      span.end();
    };

    if (this.#options.maxRecordsInFlight === undefined) {
      const { span, handled } = this.#handOver(batch, context);
      try {
        await handled;
        payload.resolveOffset(lastOffset);
        await commit(lastOffset);
        finish(span);
      } catch (error) {
        finish(span, error);
        if (handedBack.signal.aborted) return;
        throw error;
      }
      return;
    }

    // Overlapping. Past the limit, this fetch waits (heartbeats go on) for earlier batches to be
    // done, and only then are its records handed over: the library holds them undecoded
    // meanwhile, and no more than the limit are ever out with the handler (one batch more only
    // when nothing else is). Asked to stop or to give the partition up while waiting, it returns
    // with nothing resolved, so whichever member holds the partition reads them again.
    if (!(await this.#capacityFor(count, handedBack.signal)) || isStale()) {
      stopBeating();
      return;
    }

    // The library may fetch past this batch at once; commits follow in order.
    payload.resolveOffset(lastOffset);
    this.#handBacks.add(handedBack);
    this.#recordsInFlight += count;
    const release = () => {
      this.#handBacks.delete(handedBack);
      this.#recordsInFlight -= count;
      this.#capacityFreed();
    };
    const { span, handled } = this.#handOver(batch, context);
    const done = handled.then(
      () => {
        finish(span);
        release();
        return true;
      },
      (error: unknown) => {
        finish(span, error);
        release();
        return false;
      },
    );
    const lane = this.#lanes.get(partition) ?? { tail: Promise.resolve(true) };
    this.#lanes.set(partition, lane);
    const previous = lane.tail;
    lane.tail = Promise.all([previous, done]).then(async ([before, handled]) => {
      const current = this.#lanes.get(partition) === lane;
      if (!handled && !handedBack.signal.aborted && current) {
        // A real failure: read the batch again from its first record. Later batches of the
        // partition were fetched past it, so none of them may commit until the re-read has.
        this.#lanes.delete(partition);
        this.#consumer.seek({ topic, partition, offset: firstOffset });
        return false;
      }
      if (!before || !handled || !current) return false;
      // A failed commit is made good by the next one; at worst the records are read again.
      await commit(lastOffset).catch(() => {});
      return true;
    });
    const tracked = lane.tail.then(() => {});
    this.#active.add(tracked);
    void tracked.finally(() => this.#active.delete(tracked));
  }

  /**
   * Waits until `count` more records fit within `maxRecordsInFlight`, or nothing else is in
   * flight. False when the consumer stops or the batch is handed back meanwhile.
   */
  async #capacityFor(count: number, handedBack: AbortSignal): Promise<boolean> {
    const limit = this.#options.maxRecordsInFlight ?? Infinity;
    const wake = () => this.#capacityFreed();
    handedBack.addEventListener('abort', wake, { once: true });
    try {
      while (this.#recordsInFlight > 0 && this.#recordsInFlight + count > limit) {
        if (this.#stopping.signal.aborted || handedBack.aborted) return false;
        await new Promise<void>((resolve) => this.#capacityWaiters.push(resolve));
      }
      return !this.#stopping.signal.aborted && !handedBack.aborted;
    } finally {
      handedBack.removeEventListener('abort', wake);
    }
  }

  /**
   * Starts the handler on a batch inside the batch's span. Records are handed over undecoded
   * (see `ConsumedRecord`), and no closure that waits for the batch to be done holds them: a
   * batch may wait minutes for a throttled upload, and what it held to the end was promoted to
   * the old generation only to die there.
   */
  #handOver(batch: Batch, context: BatchContext): { span: Span; handled: Promise<void> } {
    const codec = this.#options.topic.codec;
    const records = batch.messages.map((message) => new FetchedRecord<T>(batch, message, codec));

    const links: Link[] = records.flatMap((record) => {
      const spanContext = trace.getSpanContext(record.traceContext);
      return spanContext ? [{ context: spanContext }] : [];
    });
    const span = tracer.startSpan(`process ${batch.topic}`, {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': batch.topic,
        'messaging.destination.partition.id': String(batch.partition),
        'messaging.consumer.group.name': this.#options.groupId,
        'messaging.batch.message_count': records.length,
      },
    });
    const active = trace.setSpan(otelContext.active(), span);
    try {
      const handled = otelContext.with(active, this.#options.handle, undefined, records, context);
      return { span, handled };
    } catch (error) {
      return { span, handled: Promise.reject(error) };
    }
  }

  #capacityFreed(): void {
    for (const wake of this.#capacityWaiters.splice(0)) wake();
  }

  /** Hands back every overlapping batch in flight; none of them commits any more. */
  #abandonInFlight(reason: Error): void {
    this.#lanes.clear();
    for (const handBack of this.#handBacks) handBack.abort(reason);
    this.#handBacks.clear();
    this.#capacityFreed();
  }
}

class FetchedRecord<T> implements ConsumedRecord<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly traceContext: Context;
  readonly raw: Buffer | null;
  readonly #codec: Codec<T>;

  constructor(batch: Batch, message: Batch['messages'][number], codec: Codec<T>) {
    this.topic = batch.topic;
    this.partition = batch.partition;
    this.offset = message.offset;
    this.key = message.key?.toString('utf8') ?? null;
    this.timestamp = Number(message.timestamp);
    this.headers = (message.headers ?? {}) as Headers;
    this.traceContext = extractTraceContext(this.headers);
    this.raw = message.value;
    this.#codec = codec;
  }

  decode(): Decoded<T> {
    try {
      return { ok: true, value: this.#codec.decode(this.raw) };
    } catch (error) {
      return { ok: false, error: toTributaryError(error, 'decode') };
    }
  }
}
