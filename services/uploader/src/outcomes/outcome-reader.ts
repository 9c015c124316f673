import type { Clock } from '../clock.ts';
import type { LogPage, ProvisioningLogEntry } from '../graph/provisioning-log-client.ts';
import { backoffDelay, type BackoffPolicy } from '../pacing/backoff.ts';
import type { ProvisioningOutcome } from '../records/provisioning-outcome.ts';

export interface OutcomeJob {
  key: string;
  servicePrincipalId: string;
  jobId: string;
}

export interface OutcomeReaderEvents {
  /** One page requested; `outcome` is the page's kind. No personal data. */
  read?(info: { job: string; outcome: LogPage['kind']; status: number; code?: string }): void;
  published?(info: { job: string; outcomes: ProvisioningOutcome[] }): void;
  unreadable?(info: { job: string; count: number }): void;
}

export interface OutcomeReaderOptions {
  job: OutcomeJob;
  logs: {
    firstPage(jobId: string, since: number, pageSize?: number): string;
    read(url: string): Promise<LogPage>;
  };
  publish(outcomes: ProvisioningOutcome[]): Promise<void>;
  clock: Clock;
  /** Time between reads of the log. */
  pollMs: number;
  /**
   * How far back each read looks. Entries appear in the log minutes after the change they
   * describe (5 to 10 in Microsoft's documentation), with its time, not the time they appeared,
   * so every read covers this window again and skips what it already published.
   */
  lookbackMs: number;
  backoff: BackoffPolicy;
  /** Entries asked for a page. */
  pageSize?: number;
  /** Pages read in one poll at most, so one huge backlog cannot starve shutdown or other jobs. */
  maxPagesPerPoll?: number;
  /** Attempts at one page before the poll ends; the next poll starts over. */
  maxAttemptsPerPage?: number;
  events?: OutcomeReaderEvents;
}

/**
 * Reads one job's provisioning logs back and publishes each entry once as a provisioning outcome:
 * what Entra finally did with a record it had accepted as staged. At least once: an entry is
 * remembered only after it was published, and a restarted reader publishes the entries of its
 * first window again (consumers tell them apart by `logId`).
 */
export class OutcomeReader {
  readonly #options: OutcomeReaderOptions;
  #stopping = new AbortController();
  /** Log ids already published, with their times, forgotten once they leave the window. */
  readonly #published = new Map<string, number>();
  #loop: Promise<void> | undefined;

  constructor(options: OutcomeReaderOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#loop !== undefined;
  }

  /** Starts reading; a reader stopped earlier resumes and still knows what it published. */
  start(): void {
    if (this.#loop) return;
    this.#stopping = new AbortController();
    this.#loop = this.#run(this.#stopping.signal);
  }

  async stop(): Promise<void> {
    this.#stopping.abort(new Error('outcome reader stopping'));
    await this.#loop;
    this.#loop = undefined;
  }

  /** Reads the window once and publishes what is new; resolves with how many were published. */
  async poll(): Promise<number> {
    const { job, logs, clock, lookbackMs, events } = this.#options;
    const since = clock.now() - lookbackMs;
    for (const [id, at] of this.#published) if (at < since) this.#published.delete(id);

    let url: string | undefined = logs.firstPage(job.jobId, since, this.#options.pageSize);
    let published = 0;
    const maxPages = this.#options.maxPagesPerPoll ?? 100;
    const maxAttempts = this.#options.maxAttemptsPerPage ?? 5;
    for (let pages = 0, attempt = 1; url !== undefined && pages < maxPages;) {
      const page = await logs.read(url);
      events?.read?.({
        job: job.key,
        outcome: page.kind,
        status: page.kind === 'page' ? 200 : page.status,
        ...(page.kind === 'page' ? {} : { code: page.code }),
      });
      if (page.kind === 'refused') return published;
      if (page.kind === 'retry') {
        if (attempt >= maxAttempts) return published;
        const wait = page.retryAfterMs ?? backoffDelay(this.#options.backoff, attempt++);
        await clock.sleep(wait, this.#stopping.signal);
        continue;
      }
      attempt = 1;
      pages++;
      if (page.unreadable > 0) events?.unreadable?.({ job: job.key, count: page.unreadable });

      // The filter names the job, but a log may hold several; never publish another job's.
      const fresh = page.entries.filter(
        (entry) =>
          !this.#published.has(entry.id) && (entry.jobId === null || entry.jobId === job.jobId),
      );
      if (fresh.length > 0) {
        const outcomes = fresh.map((entry) => toOutcome(job, entry));
        await this.#options.publish(outcomes);
        for (const entry of fresh)
          this.#published.set(entry.id, Date.parse(entry.activityDateTime));
        published += fresh.length;
        events?.published?.({ job: job.key, outcomes });
      }
      url = page.next;
    }
    return published;
  }

  async #run(signal: AbortSignal): Promise<void> {
    const { clock, pollMs, backoff } = this.#options;
    for (let failures = 0; !signal.aborted;) {
      try {
        await this.poll();
        failures = 0;
        await clock.sleep(pollMs, signal);
      } catch {
        if (signal.aborted) return;
        // Publishing failed (Kafka away): nothing was marked, so the next poll tries again.
        await clock
          .sleep(Math.max(pollMs, backoffDelay(backoff, ++failures)), signal)
          .catch(() => {});
      }
    }
  }
}

export function toOutcome(job: OutcomeJob, entry: ProvisioningLogEntry): ProvisioningOutcome {
  return {
    specVersion: '1',
    job: job.key,
    servicePrincipalId: job.servicePrincipalId,
    jobId: job.jobId,
    logId: entry.id,
    externalId: entry.sourceId,
    targetId: entry.targetId,
    action: entry.action,
    status: entry.status,
    error: entry.error,
    cycleId: entry.cycleId,
    changeId: entry.changeId,
    activityDateTime: entry.activityDateTime,
  };
}
