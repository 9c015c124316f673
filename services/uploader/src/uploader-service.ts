import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context as otelContext, trace } from '@opentelemetry/api';
import express from 'express';
import { Agent, type Dispatcher } from 'undici';
import {
  BatchConsumer,
  Producer,
  createKafkaClient,
  deadLetterOriginal,
  deadLetterTopic,
  ensureTopics,
  inNamespace,
  partitionCount,
  workerEventsTopic,
  type ConsumedRecord,
  type Kafka,
  type TypedTopic,
} from '@tributary/kafka';
import type { Logger } from '@tributary/logger';
import { count, metricSpecs, observeGauge, record } from '@tributary/telemetry';
import type { WorkerEvent } from '@tributary/worker-event';
import { createCredential } from './auth/credentials.ts';
import { IdentityTokenSource } from './auth/token-source.ts';
import { systemClock, type Clock } from './clock.ts';
import type { JobConfig, TenantConfig, UploaderConfig } from './config.ts';
import { BatchProgress } from './delivery/batch-progress.ts';
import { JobUploader, type JobEvents } from './delivery/job-uploader.ts';
import { handleRecord, type RecordFailure, type Route } from './delivery/record-handler.ts';
import { RecordSpan } from './delivery/record-span.ts';
import { BulkClient } from './graph/bulk-client.ts';
import { ProvisioningLogClient } from './graph/provisioning-log-client.ts';
import { compileMapping } from './mapping/index.ts';
import { OutcomeReader } from './outcomes/outcome-reader.ts';
import { TenantPacer } from './pacing/tenant-pacer.ts';
import {
  provisioningOutcomesTopic,
  type ProvisioningOutcome,
} from './records/provisioning-outcome.ts';
import { uploadResultsTopic, type UploadResult } from './records/upload-result.ts';
import { uploaderStateTopic, type UploaderStateRecord } from './records/uploader-state.ts';
import { StateStore } from './state/state-store.ts';

export interface UploaderServiceOptions {
  config: UploaderConfig;
  log: Logger;
  clock?: Clock;
}

interface Tenant {
  config: TenantConfig;
  pacer: TenantPacer;
  tokens: IdentityTokenSource;
  dispatcher: Dispatcher | undefined;
}

interface Topics {
  workerEvents: TypedTopic<WorkerEvent>;
  deadLetter: typeof deadLetterTopic;
  uploadResults: TypedTopic<UploadResult>;
  uploaderState: TypedTopic<UploaderStateRecord>;
  provisioningOutcomes: TypedTopic<ProvisioningOutcome>;
}

const backoff = { baseMs: 1_000, capMs: 60_000 };
const knownStatuses = new Set(['success', 'warning', 'failure', 'skipped']);
const knownActions = new Set(['create', 'update', 'delete', 'stageddelete', 'disable', 'other']);

/**
 * The uploader: consumes canonical worker events, maps them to SCIM, and uploads them to each
 * connection's provisioning job, paced per tenant. An offset is committed only once every record
 * before it was accepted by Entra or dead-lettered with its reason.
 */
export class UploaderService {
  readonly #options: UploaderServiceOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #kafka: Kafka;
  readonly #producer: Producer;
  readonly #store: StateStore;
  readonly #tenants = new Map<string, Tenant>();
  readonly #uploaders: JobUploader[] = [];
  readonly #routes = new Map<string, Route>();
  readonly #consumer: BatchConsumer<WorkerEvent>;
  readonly #topics: Topics;
  #totalPartitions: number;
  #caughtUp: Promise<void> = Promise.resolve();
  #server: Server | undefined;
  readonly #stopObserving: (() => void)[] = [];
  /** Each job's provisioning-log reader; they run on one replica only (see #membership). */
  readonly #outcomeReaders: OutcomeReader[] = [];
  /** Dead-letters a record refused before it reached a job; made once, used for every record. */
  readonly #refuse = (failure: RecordFailure): Promise<void> => this.#deadLetter(failure);

  constructor(options: UploaderServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log;
    const { env } = options.config;
    this.#topics = {
      workerEvents: inNamespace(workerEventsTopic, env.topicNamespace),
      deadLetter: inNamespace(deadLetterTopic, env.topicNamespace),
      uploadResults: inNamespace(uploadResultsTopic, env.topicNamespace),
      uploaderState: inNamespace(uploaderStateTopic, env.topicNamespace),
      provisioningOutcomes: inNamespace(provisioningOutcomesTopic, env.topicNamespace),
    };
    this.#totalPartitions = this.#topics.workerEvents.spec.partitions;

    this.#kafka = createKafkaClient({
      brokers: env.kafkaBrokers,
      clientId: `tributary-uploader-${env.instanceId}`,
      log: (level, message, fields) => this.#log[level](fields, message),
    });
    this.#producer = new Producer(this.#kafka);
    this.#store = new StateStore({
      kafka: this.#kafka,
      producer: this.#producer,
      topic: this.#topics.uploaderState,
      instanceId: env.instanceId,
      onInvalid: (error) => this.#log.warn({ code: error.code }, 'state record skipped'),
    });

    for (const tenant of options.config.tenants)
      this.#tenants.set(tenant.key, this.#tenant(tenant));
    for (const job of options.config.jobs) this.#addJob(job);

    this.#consumer = new BatchConsumer<WorkerEvent>(this.#kafka, {
      groupId: env.groupId,
      topic: this.#topics.workerEvents,
      concurrency: env.concurrency,
      // Records wait here for company and for the pacer; fetching must go on meanwhile.
      maxRecordsInFlight: env.maxRecordsInFlight,
      handle: (records, context) => this.#handle(records, context.signal, context.partition),
      onMembership: ({ member, partitions }) => this.#membership(member, partitions),
      onCrash: (error, restarting) =>
        this.#log.error({ code: error.code, restarting }, 'consumer crashed'),
    });
  }

  /** Ready when the consumer holds its place in the group and every tenant gave a token. */
  get ready(): boolean {
    return (
      this.#consumer.member && [...this.#tenants.values()].every((tenant) => tenant.tokens.obtained)
    );
  }

  /** Port of the health endpoint. */
  get port(): number | undefined {
    return (this.#server?.address() as AddressInfo | null)?.port;
  }

  get uploaders(): readonly JobUploader[] {
    return this.#uploaders;
  }

  /** Reports waiting for a manager Entra cannot resolve yet, per job. */
  unresolvedManagers(): Record<string, number> {
    return Object.fromEntries(
      this.#uploaders.map((uploader) => [
        uploader.target.key,
        this.#store.job(uploader.target.key).unresolvedManagers,
      ]),
    );
  }

  async start(): Promise<void> {
    const { env } = this.#options.config;
    this.#server = await this.#listen(env.host, env.port);
    // With PORT=0 the platform (or a test) learns the health port from this line.
    this.#log.info({ port: this.port }, 'health endpoint listening');

    await ensureTopics(this.#kafka, {
      replicationFactor: env.replicationFactor,
      specs: Object.values(this.#topics).map((topic) => topic.spec),
    });
    const partitions = await partitionCount(this.#kafka, this.#topics.workerEvents.spec.name);
    this.#totalPartitions = partitions || this.#totalPartitions;
    await this.#store.start();

    for (const tenant of this.#tenants.values()) {
      tenant.pacer.restoreCalls(this.#store.ownQuotaHours(tenant.config.key));
      void this.#warmToken(tenant);
    }
    for (const uploader of this.#uploaders) uploader.start();
    this.#observeGauges();
    await this.#consumer.start();
    this.#log.info(
      { jobs: this.#uploaders.length, tenants: this.#tenants.size },
      'uploader started',
    );
  }

  /**
   * Shuts down on a deadline: stop fetching and hand back waiting batches, let requests in
   * flight finish and be recorded, then leave the group and close connections.
   */
  async stop(deadlineMs = this.#options.config.env.shutdownDeadlineMs): Promise<void> {
    const deadline = this.#clock.now() + deadlineMs;
    const left = () => Math.max(0, deadline - this.#clock.now());
    const stopping = this.#consumer.stop(left());
    const readers = this.#stopOutcomeReaders();
    await Promise.all(this.#uploaders.map((uploader) => uploader.stop(left())));
    await readers;
    await stopping;
    await this.#store.stop().catch(() => {});
    await this.#producer.disconnect().catch(() => {});
    await new Promise<void>((resolve) =>
      this.#server ? this.#server.close(() => resolve()) : resolve(),
    );
    for (const tenant of this.#tenants.values()) await tenant.dispatcher?.close();
    for (const stop of this.#stopObserving.splice(0)) stop();
    this.#log.info({}, 'uploader stopped');
  }

  /**
   * Starts every record of a batch on its way and resolves once all are settled. The records
   * (each able to decode its event) are not kept past the start: the batch's progress is all that
   * waits, so an event can be collected once it is mapped.
   */
  #handle(
    records: ConsumedRecord<WorkerEvent>[],
    signal: AbortSignal,
    partition: number,
  ): Promise<void> {
    return this.#caughtUp.then(() => this.#settle(this.#start(records), signal, partition));
  }

  #start(records: ConsumedRecord<WorkerEvent>[]): BatchProgress {
    const progress = new BatchProgress(records.length);
    for (const record of records) {
      const waiter = new RecordSpan(record, progress);
      handleRecord(record, this.#routes, this.#refuse, waiter, waiter.spanContext);
    }
    return progress;
  }

  async #settle(progress: BatchProgress, signal: AbortSignal, partition: number): Promise<void> {
    const handedBack = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([progress.done, handedBack]);
    if (signal.aborted) {
      for (const uploader of this.#uploaders) uploader.withdraw(partition);
      await progress.done.catch(() => {});
      // Nothing of this batch is committed now; this member or the next owner reads it again.
      throw new Error('batch handed back');
    }
  }

  async #deadLetter(failure: RecordFailure): Promise<void> {
    const { record } = failure;
    const letter = {
      key: record.key ?? `${record.topic}/${record.partition}/${record.offset}`,
      value: {
        specVersion: '1' as const,
        code: failure.code,
        reason: failure.reason,
        stage: 'uploader' as const,
        failedAt: new Date(this.#clock.now()).toISOString(),
        source: {
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          key: record.key,
        },
        ...(failure.job === undefined ? {} : { job: failure.job }),
        original: deadLetterOriginal(record.raw),
      },
    };
    // The send span belongs to the record's trace, under the record's own span.
    const parent = record.spanContext
      ? trace.setSpanContext(otelContext.active(), record.spanContext)
      : otelContext.active();
    await otelContext.with(parent, () => this.#producer.send(this.#topics.deadLetter, [letter]));
    count(metricSpecs.recordsDeadLettered, { code: failure.code });
    this.#log.warn(
      { code: failure.code, job: failure.job, partition: record.partition, offset: record.offset },
      'record dead-lettered',
    );
  }

  #membership(member: boolean, partitions: number[]): void {
    // One replica reads the provisioning logs back: whichever holds the first partition.
    if (member && partitions.includes(0)) this.#startOutcomeReaders();
    else void this.#stopOutcomeReaders();
    if (!member) return;
    const share = partitions.length / Math.max(1, this.#totalPartitions);
    for (const tenant of this.#tenants.values()) tenant.pacer.setShare(share);
    // Another replica may have uploaded these workers until a moment ago: read what it wrote.
    this.#caughtUp = this.#store.caughtUp().catch((error: unknown) => {
      this.#log.warn({ err: error }, 'state catch-up failed; continuing with what is known');
    });
    this.#log.info({ partitions: partitions.length, share }, 'partitions assigned');
  }

  #tenant(config: TenantConfig): Tenant {
    const ca = config.caFile ? readFileSync(config.caFile, 'utf8') : undefined;
    const dispatcher = ca ? new Agent({ connect: { ca } }) : undefined;
    const tokens = new IdentityTokenSource(
      () =>
        createCredential(config.credential, {
          tenantId: config.tenantId,
          authorityHost: config.authorityHost,
          ...(ca ? { ca } : {}),
        }),
      config.tokenScope,
      {
        onFailure: (error) => {
          count(metricSpecs.tokenFailures, {
            tenant: config.key,
            error_type: (error as Error | undefined)?.name ?? 'Error',
          });
          this.#log.warn(
            {
              tenant: config.key,
              err: { name: (error as Error).name, message: (error as Error).message },
            },
            'token request failed',
          );
        },
      },
    );
    const pacer = new TenantPacer(config.limits, this.#clock, {
      otherCalls: () => this.#store.otherQuotaHours(config.key),
    });
    return { config, pacer, tokens, dispatcher };
  }

  #addJob(job: JobConfig): void {
    const tenant = this.#tenants.get(job.tenant.key)!;
    const client = new BulkClient({
      target: {
        graphBaseUrl: job.tenant.graphBaseUrl,
        apiVersion: job.apiVersion,
        servicePrincipalId: job.servicePrincipalId,
        jobId: job.jobId,
      },
      tokens: tenant.tokens,
      ...(tenant.dispatcher ? { dispatcher: tenant.dispatcher } : {}),
      now: () => this.#clock.now(),
    });
    const uploader = new JobUploader({
      target: {
        key: job.key,
        tenant: job.tenant.key,
        servicePrincipalId: job.servicePrincipalId,
        jobId: job.jobId,
      },
      upload: (body, clientRequestId, about, beforeRetry) =>
        client.upload(body, clientRequestId, about, beforeRetry),
      pacer: tenant.pacer,
      state: this.#store.job(job.key),
      store: this.#store,
      sink: {
        deadLetter: async (record, code, reason) => {
          // A re-send for a manager's sake stands for no record: the report's own record was
          // settled when Entra first accepted it, so there is nothing to dead-letter.
          if (!record) {
            this.#log.warn({ job: job.key, code }, 'manager re-send refused');
            return;
          }
          await this.#deadLetter({ record, code, reason, job: job.key });
        },
        result: (result) =>
          this.#producer.send(this.#topics.uploadResults, [{ key: job.key, value: result }]),
      },
      clock: this.#clock,
      settings: job.batch,
      backoff,
      events: this.#jobEvents(),
    });
    if (this.#options.config.env.outcomesPollMs > 0)
      this.#outcomeReaders.push(this.#outcomeReader(job));
    const mapper = compileMapping(job.mapping, `/jobs/${job.key}/mapping`);
    for (const connection of job.connections) this.#routes.set(connection, { uploader, mapper });
    this.#uploaders.push(uploader);
  }

  #outcomeReader(job: JobConfig): OutcomeReader {
    const tenant = this.#tenants.get(job.tenant.key)!;
    const { env } = this.#options.config;
    const logs = new ProvisioningLogClient({
      graphBaseUrl: job.tenant.graphBaseUrl,
      apiVersion: job.apiVersion,
      tokens: tenant.tokens,
      ...(tenant.dispatcher ? { dispatcher: tenant.dispatcher } : {}),
      now: () => this.#clock.now(),
    });
    const target = { key: job.key, servicePrincipalId: job.servicePrincipalId, jobId: job.jobId };
    return new OutcomeReader({
      job: target,
      logs,
      publish: (outcomes) =>
        this.#producer.send(
          this.#topics.provisioningOutcomes,
          outcomes.map((outcome) => ({
            key: `${job.key}/${outcome.externalId}`,
            value: outcome,
          })),
        ),
      clock: this.#clock,
      pollMs: env.outcomesPollMs,
      lookbackMs: env.outcomesLookbackMs,
      backoff,
      events: {
        read: ({ job: key, outcome, status, code }) => {
          count(metricSpecs.provisioningLogReads, { job: key, outcome });
          // Most often the app lacks ProvisioningLog.Read.All: uploads go on, outcomes don't.
          if (outcome === 'refused') {
            this.#log.warn({ job: key, status, code }, 'provisioning logs refused');
          }
        },
        published: ({ job: key, outcomes }) => {
          const byStatus: Record<string, number> = {};
          for (const outcome of outcomes) {
            // Entra may add values; labels stay within the documented ones.
            const status = knownStatuses.has(outcome.status) ? outcome.status : 'other';
            const action = knownActions.has(outcome.action) ? outcome.action : 'other';
            count(metricSpecs.provisioningOutcomes, { job: key, action, status });
            byStatus[status] = (byStatus[status] ?? 0) + 1;
          }
          this.#log.info({ job: key, ...byStatus }, 'provisioning outcomes published');
        },
        unreadable: ({ job: key, count: skipped }) =>
          this.#log.warn({ job: key, skipped }, 'unreadable provisioning log entries skipped'),
      },
    });
  }

  #startOutcomeReaders(): void {
    for (const reader of this.#outcomeReaders) reader.start();
  }

  async #stopOutcomeReaders(): Promise<void> {
    await Promise.all(this.#outcomeReaders.map((reader) => reader.stop()));
  }

  #jobEvents(): JobEvents {
    const log = this.#log;
    return {
      request: (info) => {
        const job = { job: info.job };
        count(metricSpecs.bulkRequests, { ...job, status: info.status, outcome: info.outcome });
        record(metricSpecs.bulkBatchOperations, info.operations, job);
        if (info.status === 429) count(metricSpecs.bulkThrottled, job);
        if (info.attempt > 1) count(metricSpecs.bulkRetries, { ...job, status: info.status });
        if (info.outcome === 'accepted') log.info(info, 'bulk upload accepted');
        else log.warn(info, 'bulk upload not accepted');
      },
      accepted: (info) => count(metricSpecs.recordsUploaded, { job: info.job }, info.operations),
      skipped: (info) => {
        count(metricSpecs.recordsUnchanged, { job: info.job }, info.count);
        log.debug(info, 'unchanged workers skipped');
      },
      cycle: (info) => log.warn(info, 'reporting cycle detected'),
      persistFailed: ({ job, what, error }) =>
        log.warn(
          { job, what, err: { message: (error as Error).message } },
          'write to Kafka failed; retrying',
        ),
    };
  }

  /** Gauges read when metrics are collected: unresolved managers per job, quota per tenant. */
  #observeGauges(): void {
    const tenants = () => [...this.#tenants.values()];
    this.#stopObserving.push(
      observeGauge(metricSpecs.managersUnresolved, () =>
        Object.entries(this.unresolvedManagers()).map(([job, n]) => [n, { job }] as const),
      ),
      observeGauge(metricSpecs.quotaUsed, () =>
        tenants().map((t) => [t.pacer.usage().used, { tenant: t.config.key }] as const),
      ),
      observeGauge(metricSpecs.quotaRemaining, () =>
        tenants().map((t) => [t.pacer.usage().remaining, { tenant: t.config.key }] as const),
      ),
    );
  }

  async #warmToken(tenant: Tenant): Promise<void> {
    for (let attempt = 1; !tenant.tokens.obtained; attempt++) {
      try {
        await tenant.tokens.getToken(false);
        this.#log.info({ tenant: tenant.config.key }, 'token obtained');
      } catch {
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(30_000, 1_000 * attempt)).unref(),
        );
      }
    }
  }

  #listen(host: string, port: number): Promise<Server> {
    const app = express();
    app.disable('x-powered-by');
    app.get('/healthz', (_request, response) => {
      response.json({ status: 'ok' });
    });
    app.get('/readyz', (_request, response) => {
      response.status(this.ready ? 200 : 503).json({
        status: this.ready ? 'ready' : 'not ready',
        member: this.#consumer.member,
        tokens: Object.fromEntries(
          [...this.#tenants].map(([key, tenant]) => [key, tenant.tokens.obtained]),
        ),
      });
    });
    return new Promise((resolve, reject) => {
      const server = app.listen(port, host, (error?: Error) =>
        error ? reject(error) : resolve(server),
      );
    });
  }
}
