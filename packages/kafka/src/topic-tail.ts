import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { toTributaryError } from './kafka-errors.ts';
import type { TributaryError } from '@tributary/errors';
import type { Headers } from './trace-context.ts';
import type { TypedTopic } from './typed-topic.ts';

export interface TopicTailOptions<T> {
  topic: TypedTopic<T>;
  /** Called for every record, in log order per partition; an undecodable record is skipped. */
  apply: (key: string | null, value: T) => void;
  /**
   * Records to pass over unread, judged by their headers before their value is decoded: a
   * process following the topic it writes to need not decode its own records again.
   */
  passOver?: (headers: Headers) => boolean;
  /** A record that failed to decode: reported, then passed over. */
  onInvalid?: (error: TributaryError, where: { partition: number; offset: string }) => void;
  /** Prefix of the throwaway consumer group; the process adds a random suffix. */
  groupPrefix: string;
  /**
   * Upper bound on one fetch, all partitions together (256 KiB unless set); a partition gets a
   * quarter of it. KafkaJS decodes a whole fetch before handing out its batches, so this bounds
   * how many records are alive at once while a large topic is read from the beginning.
   */
  maxBytesPerFetch?: number;
}

const defaultMaxBytesPerFetch = 256 * 1024;

/**
 * Reads a whole topic, every partition, from the beginning and keeps following it: the way to
 * hold a compacted topic's state in memory. It uses a consumer group of its own that it never
 * commits in, so every start reads everything again and no two processes share partitions.
 */
export class TopicTail<T> {
  readonly #kafka: Kafka;
  readonly #options: TopicTailOptions<T>;
  readonly #consumer: Consumer;
  /** Next offset to read, per partition, as far as this tail has applied. */
  readonly #positions = new Map<number, bigint>();

  constructor(kafka: Kafka, options: TopicTailOptions<T>) {
    this.#kafka = kafka;
    this.#options = options;
    // The defaults (10 MiB a fetch) suit a consumer that keeps up with new records. A tail reads
    // the whole topic at start: 100,000 state records fetched 10 MiB at a time kept up to some
    // 50,000 decoded messages alive together, and the heap grew to hold them for good. Even
    // 1 MiB fetches lived long enough to be promoted and then die in the old generation, which
    // V8 keeps committed (the uploader rested at 224 MB instead of 165-169 with 512 or 256 KiB).
    const maxBytes = options.maxBytesPerFetch ?? defaultMaxBytesPerFetch;
    this.#consumer = kafka.consumer({
      groupId: `${options.groupPrefix}-${randomUUID()}`,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
      maxBytes,
      maxBytesPerPartition: Math.ceil(maxBytes / 4),
      sessionTimeout: 30_000,
    });
  }

  /** Starts following the topic and resolves once everything present at the call was applied. */
  async start(): Promise<void> {
    const { topic, apply, onInvalid, passOver } = this.#options;
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: topic.spec.name, fromBeginning: true });
    await this.#consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (passOver?.((message.headers ?? {}) as Headers)) {
            this.#positions.set(batch.partition, BigInt(message.offset) + 1n);
            continue;
          }
          try {
            apply(message.key?.toString('utf8') ?? null, topic.codec.decode(message.value));
          } catch (error) {
            onInvalid?.(toTributaryError(error, 'state record'), {
              partition: batch.partition,
              offset: message.offset,
            });
          }
          this.#positions.set(batch.partition, BigInt(message.offset) + 1n);
        }
      },
    });
    await this.caughtUp();
  }

  /**
   * Resolves once every record written before this call has been applied, so a decision taken
   * afterwards sees what other processes wrote up to now.
   */
  async caughtUp(signal?: AbortSignal): Promise<void> {
    const ends = await this.#endOffsets(signal);
    const behind = () =>
      ends.some(
        ({ partition, high, low }) =>
          high !== low && (this.#positions.get(partition) ?? BigInt(low)) < BigInt(high),
      );
    while (behind()) {
      signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * The topic's end offsets. Right after a topic is created, or while leadership moves, a broker
   * may briefly answer that it does not lead a partition; that settles within seconds.
   */
  async #endOffsets(
    signal?: AbortSignal,
  ): Promise<{ partition: number; high: string; low: string }[]> {
    const admin = this.#kafka.admin();
    await admin.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await admin.fetchTopicOffsets(this.#options.topic.spec.name);
        } catch (error) {
          const retriable = (error as { retriable?: boolean }).retriable === true;
          if (!retriable || attempt >= 20) throw toTributaryError(error, 'read topic end offsets');
          signal?.throwIfAborted();
          await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * attempt)));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }
}
