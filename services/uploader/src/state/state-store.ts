import {
  TopicTail,
  type Kafka,
  type OutgoingRecord,
  type Producer,
  type TypedTopic,
} from '@tributary/kafka';
import type { TributaryError } from '@tributary/errors';
import {
  quotaStateKey,
  stateWriterHeader,
  workerStateKey,
  type QuotaStateRecord,
  type UploaderStateRecord,
  type WorkerStateRecord,
} from '../records/uploader-state.ts';
import { JobState } from './job-state.ts';

export interface StateStoreOptions {
  kafka: Kafka;
  producer: Producer;
  topic: TypedTopic<UploaderStateRecord>;
  /** This replica's id, stable across restarts where the platform allows (a pod name). */
  instanceId: string;
  onInvalid?: (error: TributaryError) => void;
}

/**
 * The uploader's memory, kept in a compacted Kafka topic so restarts and rebalances keep it:
 * per job and worker, the last accepted digest and any manager the worker waits for; per tenant
 * and replica, the calls made against the daily quota. Every replica follows the whole topic, so
 * whichever replica a worker's partition moves to knows what was sent.
 */
export class StateStore {
  readonly #options: StateStoreOptions;
  readonly #jobs = new Map<string, JobState>();
  readonly #quotas = new Map<string, Map<string, Record<string, number>>>();
  readonly #tail: TopicTail<UploaderStateRecord>;
  /** Once loaded, this replica's own records are applied when written, not again when tailed. */
  #live = false;
  readonly #headers: Record<string, string>;

  constructor(options: StateStoreOptions) {
    this.#options = options;
    this.#headers = { [stateWriterHeader]: options.instanceId };
    const writer = Buffer.from(options.instanceId);
    this.#tail = new TopicTail(options.kafka, {
      topic: options.topic,
      groupPrefix: 'tributary-uploader-state',
      passOver: (headers) => {
        const header = headers[stateWriterHeader];
        return this.#live && Buffer.isBuffer(header) && header.equals(writer);
      },
      apply: (_key, record) => {
        if (!this.#live || record.writer !== options.instanceId) this.#apply(record);
      },
      onInvalid: (error) => options.onInvalid?.(error),
    });
  }

  job(job: string): JobState {
    let state = this.#jobs.get(job);
    if (!state) this.#jobs.set(job, (state = new JobState()));
    return state;
  }

  /** Reads the topic up to its end, then keeps following it. */
  async start(): Promise<void> {
    await this.#tail.start();
    this.#live = true;
  }

  /** Waits until records other replicas wrote before now are applied (after a rebalance). */
  caughtUp(signal?: AbortSignal): Promise<void> {
    return this.#tail.caughtUp(signal);
  }

  /**
   * The calls other replicas made against a tenant's quota, by hour, one map per replica, as last
   * recorded: followed live, so a replica's pacer counts what the others spend as they spend it.
   */
  *otherQuotaHours(tenant: string): Iterable<Readonly<Record<string, number>>> {
    for (const [writer, hours] of this.#quotas.get(tenant) ?? []) {
      if (writer !== this.#options.instanceId) yield hours;
    }
  }

  /** Calls this replica recorded in an earlier life against a tenant's quota. */
  ownQuotaHours(tenant: string): Record<string, number> {
    return { ...this.#quotas.get(tenant)?.get(this.#options.instanceId) };
  }

  /** Persists worker states (and a quota snapshot) after Entra accepted a request. */
  async accepted(
    job: string,
    workers: Omit<WorkerStateRecord, 'kind' | 'job' | 'writer'>[],
    quota?: { tenant: string; hours: Record<string, number> },
  ): Promise<void> {
    const writer = this.#options.instanceId;
    const headers = this.#headers;
    const records: OutgoingRecord<UploaderStateRecord>[] = workers.map((worker) => ({
      key: workerStateKey(job, worker.externalId),
      value: { kind: 'worker', job, writer, ...worker },
      headers,
    }));
    if (quota) {
      const value: QuotaStateRecord = {
        kind: 'quota',
        tenant: quota.tenant,
        hours: quota.hours,
        writer,
      };
      records.push({ key: quotaStateKey(quota.tenant, writer), value, headers });
    }
    // Durable first, then in memory: a crash in between sends the batch again, never skips it.
    await this.#options.producer.send(this.#options.topic, records);
    for (const record of records) this.#apply(record.value);
  }

  async stop(): Promise<void> {
    await this.#tail.stop();
  }

  #apply(record: UploaderStateRecord): void {
    if (record.kind === 'quota') {
      let byWriter = this.#quotas.get(record.tenant);
      if (!byWriter) this.#quotas.set(record.tenant, (byWriter = new Map()));
      byWriter.set(record.writer, record.hours);
      return;
    }
    this.job(record.job).accept(
      record.externalId,
      record.digest,
      record.awaitingManager,
      record.user,
    );
  }
}
