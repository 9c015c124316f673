import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { PendingOps, type Op, type RecordRef, type Submission } from '../batching/pending-ops.ts';
import type { BulkOutcome, UploadTrace } from '../graph/bulk-client.ts';
import { serializeUser, type ScimUser } from '../mapping/index.ts';
import { bulkRequestBody, maxOperationsPerRequest } from '../graph/bulk-request.ts';
import { backoffDelay, type BackoffPolicy } from '../pacing/backoff.ts';
import type { Slot, TenantPacer } from '../pacing/tenant-pacer.ts';
import type { UploadResult } from '../records/upload-result.ts';
import type { JobState } from '../state/job-state.ts';
import type { StateStore } from '../state/state-store.ts';

export interface JobTarget {
  /** Tributary's name for the job, used in state keys, results and logs. */
  key: string;
  tenant: string;
  servicePrincipalId: string;
  jobId: string;
}

export interface BatchSettings {
  /** At most 50: Entra's cap. */
  maxOperations: number;
  /** How long the first waiting op may wait for company before a partial batch goes. */
  lingerMs: number;
  /** The same, while the daily budget is nearly spent: batches fill up before they go. */
  lowBudgetLingerMs: number;
  /** Requests of this job in flight at once. */
  maxConcurrentRequests: number;
}

/** What happened, for logs and metrics; nothing here carries personal data. */
export interface JobEvents {
  request?(info: {
    job: string;
    operations: number;
    attempt: number;
    outcome: BulkOutcome['kind'];
    status: number;
    code?: string;
    requestId?: string;
    durationMs: number;
  }): void;
  accepted?(info: { job: string; operations: number; attempts: number; latencyMs: number }): void;
  skipped?(info: { job: string; count: number }): void;
  deadLettered?(info: { job: string; code: string }): void;
  cycle?(info: { job: string; members: number }): void;
  persistFailed?(info: { job: string; what: string; error: unknown }): void;
}

export interface JobSink {
  /** `record` is undefined for a re-send made for a manager's sake, which stands for no record. */
  deadLetter(record: RecordRef | undefined, code: string, reason: string): Promise<void>;
  result(result: UploadResult): Promise<void>;
}

export interface JobUploaderOptions {
  target: JobTarget;
  /** Posts one request; `beforeRetry` is awaited before a retry the client makes on its own. */
  upload: (
    body: Buffer,
    clientRequestId: string,
    about: UploadTrace,
    beforeRetry: () => Promise<void>,
  ) => Promise<BulkOutcome>;
  pacer: TenantPacer;
  state: JobState;
  store: Pick<StateStore, 'accepted'>;
  sink: JobSink;
  clock: Clock;
  settings: BatchSettings;
  backoff: BackoffPolicy;
  events?: JobEvents;
}

class Stopped extends Error {
  constructor() {
    super('uploader stopping: batch handed back');
    this.name = 'Stopped';
  }
}

/**
 * Turns a job's stream of per-worker payloads into paced bulkUpload calls. The loop waits for
 * ops, lingers until a batch is full or old enough, takes a pacer slot, and sends; sends run
 * concurrently up to a limit. A 202 is made durable (state, result) before the records count as
 * done; a 400 is split to find the records at fault; throttling and outages are retried for as
 * long as it takes, honouring Retry-After.
 */
export class JobUploader {
  readonly #options: JobUploaderOptions;
  readonly #pending = new PendingOps();
  readonly #stopping = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  /** Resolves the promise the loop waits on, if it waits; see `#nextChange`. */
  #wakeLoop: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: JobUploaderOptions) {
    this.#options = options;
  }

  get target(): JobTarget {
    return this.#options.target;
  }

  get pending(): number {
    return this.#pending.size;
  }

  start(): void {
    this.#loop ??= this.#run().catch((error: unknown) => {
      if (!(error instanceof Stopped) && !this.#stopping.signal.aborted) throw error;
    });
    // Reports that waited for a manager that was sent before a restart: send them again now.
    for (const managerId of this.#options.state.waitingForSentManagers())
      this.#resendReportsOf(managerId);
  }

  submit(submission: Submission): void {
    if (this.#stopping.signal.aborted) {
      submission.waiter?.handBack(new Stopped());
      return;
    }
    this.#pending.submit(submission, this.#options.clock.now());
    this.#wake();
  }

  /** Hands back the waiting ops of a partition this replica no longer owns. */
  withdraw(partition: number): void {
    for (const op of this.#pending.withdraw(partition)) handBack(op, new Stopped());
  }

  /**
   * Stops taking new batches, hands back what waits, and gives requests in flight until the
   * deadline to finish (their 202s are still made durable).
   */
  async stop(deadlineMs: number): Promise<void> {
    this.#stopping.abort(new Stopped());
    this.#wake();
    for (const op of this.#pending.withdraw('all')) handBack(op, new Stopped());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight, this.#loop]),
      new Promise((resolve) => (timer = setTimeout(resolve, deadlineMs))),
    ]);
    clearTimeout(timer);
  }

  async #run(): Promise<void> {
    const { pacer, settings, state, clock, events, target } = this.#options;
    const signal = this.#stopping.signal;
    for (;;) {
      await this.#waitForBatch();
      while (this.#inFlight.size >= settings.maxConcurrentRequests) {
        await Promise.race(this.#inFlight);
      }
      const slot = await pacer.acquire(signal);

      const max = Math.min(settings.maxOperations, maxOperationsPerRequest);
      const { batch, skipped, cycles } = this.#pending.take(
        max,
        (op) => state.digest(op.externalId) === op.digest,
      );
      for (const op of skipped) settle(op, 'unchanged');
      if (skipped.length > 0) events?.skipped?.({ job: target.key, count: skipped.length });
      for (const cycle of cycles) events?.cycle?.({ job: target.key, members: cycle.length });
      if (batch.length === 0) {
        // Everything taken was unchanged: no call is made, so the slot is not spent.
        pacer.release(slot);
        continue;
      }

      const send = this.#deliver(batch, { attempts: 1, startedAt: clock.now() }, slot)
        .catch((error: unknown) => {
          for (const op of batch) handBack(op, error instanceof Error ? error : new Stopped());
        })
        .finally(() => {
          this.#pending.landed(batch);
          this.#inFlight.delete(send);
          this.#wake();
        });
      this.#inFlight.add(send);
    }
  }

  /** Waits until enough is sendable: a full batch, or the oldest op has lingered long enough. */
  async #waitForBatch(): Promise<void> {
    const { clock, pacer, settings } = this.#options;
    const signal = this.#stopping.signal;
    for (;;) {
      signal.throwIfAborted();
      const { count, oldestAt } = this.#pending.sendable(settings.maxOperations);
      if (count >= settings.maxOperations) return;
      if (count > 0 && oldestAt !== undefined) {
        const linger = pacer.lowBudget() ? settings.lowBudgetLingerMs : settings.lingerMs;
        const left = oldestAt + linger - clock.now();
        if (left <= 0) return;
        await Promise.race([clock.sleep(left, signal), this.#nextChange()]);
      } else {
        await this.#nextChange();
      }
    }
  }

  /**
   * Sends one batch until it is accepted, split, or dead-lettered. `taken` is the pacer slot the
   * caller already holds for the first attempt, if any.
   */
  async #deliver(
    ops: Op[],
    progress: { attempts: number; startedAt: number },
    taken?: Slot,
  ): Promise<void> {
    const { pacer, clock, backoff, events, target } = this.#options;
    const signal = this.#stopping.signal;
    const body = bulkRequestBody(ops);
    const clientRequestId = randomUUID();
    const [parent, ...linked] = ops.flatMap((op) =>
      op.record?.spanContext ? [op.record.spanContext] : [],
    );

    for (let attempt = 1; ; attempt++) {
      const slots: Slot[] = [];
      if (attempt === 1 && taken) slots.push(taken);
      else {
        slots.push(await pacer.acquire(signal));
        progress.attempts++;
      }
      const began = clock.now();
      // The client's own retry after a 401 is a call Entra counts like any other.
      const beforeRetry = async () => {
        slots.push(await pacer.acquire(signal));
        progress.attempts++;
      };
      const outcome = await this.#options.upload(
        body,
        clientRequestId,
        { job: target.key, operations: ops.length, attempt, parent, links: linked },
        beforeRetry,
      );
      for (const slot of slots) pacer.answered(slot);
      events?.request?.({
        job: target.key,
        operations: ops.length,
        attempt,
        outcome: outcome.kind,
        status: outcome.status,
        ...(outcome.kind === 'accepted'
          ? outcome.requestId === undefined
            ? {}
            : { requestId: outcome.requestId }
          : { code: outcome.code }),
        durationMs: clock.now() - began,
      });

      switch (outcome.kind) {
        case 'accepted':
          await this.#accepted(ops, outcome, progress);
          return;
        case 'rejected':
          if (ops.length === 1) {
            await this.#deadLetter(
              ops[0]!,
              'ENTRA_REJECTED',
              `bulkUpload answered ${outcome.status} ${outcome.code}`,
            );
            return;
          }
          // Some record is at fault: halve until the bad ones stand alone.
          await this.#deliver(ops.slice(0, ops.length >> 1), progress);
          await this.#deliver(ops.slice(ops.length >> 1), progress);
          return;
        case 'retry': {
          const wait = outcome.retryAfterMs ?? backoffDelay(backoff, attempt);
          // Throttling and unavailability concern the whole tenant, not this batch alone.
          if (outcome.status === 429) pacer.throttled(wait);
          else if (outcome.status === 503) pacer.pauseFor(wait);
          else await clock.sleep(wait, signal);
          break;
        }
        case 'misconfigured':
          // Permissions or ids are wrong: nothing a record can fix; wait long and try again.
          await clock.sleep(Math.max(backoff.capMs, backoffDelay(backoff, attempt + 4)), signal);
          break;
      }
    }
  }

  async #accepted(
    ops: Op[],
    outcome: Extract<BulkOutcome, { kind: 'accepted' }>,
    progress: { attempts: number; startedAt: number },
  ): Promise<void> {
    const { state, store, sink, clock, target, pacer, events } = this.#options;
    const inRequest = new Set(ops.map((op) => op.externalId));
    const acceptedAt = new Date(clock.now()).toISOString();
    const workers = ops.map((op) => {
      // A manager never sent to this job cannot be resolved by Entra: remember the report.
      const awaiting =
        op.managerId !== undefined && !inRequest.has(op.managerId) && !state.wasSent(op.managerId)
          ? op.managerId
          : undefined;
      return {
        externalId: op.externalId,
        digest: op.digest,
        acceptedAt,
        ...(awaiting === undefined
          ? {}
          : { awaitingManager: awaiting, user: JSON.parse(op.json.toString('utf8')) as ScimUser }),
      };
    });
    const latencyMs = clock.now() - progress.startedAt;

    await Promise.all([
      this.#durably('state', () =>
        store.accepted(target.key, workers, { tenant: target.tenant, hours: pacer.ownCalls() }),
      ),
      this.#durably('result', () =>
        sink.result({
          specVersion: '1',
          job: target.key,
          servicePrincipalId: target.servicePrincipalId,
          jobId: target.jobId,
          requestId: outcome.requestId ?? null,
          clientRequestId: outcome.clientRequestId,
          externalIds: ops.map((op) => op.externalId),
          attempts: progress.attempts,
          latencyMs,
          acceptedAt,
        }),
      ),
    ]);

    for (const op of ops) settle(op, 'accepted');
    events?.accepted?.({
      job: target.key,
      operations: ops.length,
      attempts: progress.attempts,
      latencyMs,
    });
    for (const op of ops) this.#resendReportsOf(op.externalId);
  }

  #resendReportsOf(managerId: string): void {
    const reports = this.#options.state.takeWaitingReports(managerId);
    for (const [externalId, user] of reports) {
      this.submit({ externalId, ...serializeUser(user), managerId, force: true });
    }
  }

  /**
   * Dead-letters the op's record and every older record of the worker it superseded: each is on
   * the dead-letter topic before any of them counts as done, so none is committed unsent.
   */
  async #deadLetter(op: Op, code: string, reason: string): Promise<void> {
    const { sink } = this.#options;
    const records = [op.record, ...op.superseded.map((older) => older.record)];
    await this.#durably('dead letter', async () => {
      for (const record of records) await sink.deadLetter(record, code, reason);
    });
    settle(op, 'dead-lettered');
    this.#options.events?.deadLettered?.({ job: this.#options.target.key, code });
  }

  /** Retries a Kafka write until it succeeds or the uploader stops (the batch is handed back). */
  async #durably(what: string, write: () => Promise<void>): Promise<void> {
    const { clock, backoff, events, target } = this.#options;
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        events?.persistFailed?.({ job: target.key, what, error });
        await clock.sleep(backoffDelay(backoff, attempt), this.#stopping.signal);
      }
    }
  }

  /**
   * A promise that resolves at the next submit, landing or stop. Made only when the loop is
   * about to wait, not at every submit (a backlog submits thousands a second); nothing can
   * change between the loop's look at the pending ops and its wait, which run in one go.
   */
  #nextChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#wakeLoop = resolve;
    });
  }

  #wake(): void {
    const wake = this.#wakeLoop;
    this.#wakeLoop = undefined;
    wake?.();
  }
}

function settle(op: Op, outcome: 'accepted' | 'unchanged' | 'dead-lettered'): void {
  op.waiter?.settle(outcome);
  for (const older of op.superseded) older.waiter.settle(outcome);
}

function handBack(op: Op, reason: Error): void {
  op.waiter?.handBack(reason);
  for (const older of op.superseded) older.waiter.handBack(reason);
}
