import type { Clock } from '../clock.ts';
import { DailyQuota, callsWithinDay, oldestHourEnds } from './daily-quota.ts';
import { SlidingWindow } from './sliding-window.ts';

export interface TenantLimits {
  /** Calls admitted in any window (Entra: 40). */
  callsPerWindow: number;
  /** The window's length (Entra: 5,000 ms). */
  windowMs: number;
  /** Calls per rolling 24 hours, whole tenant (Entra: 2,000 with P1/P2, 6,000 with Governance). */
  dailyQuota: number;
  /** Below this fraction of the daily budget left, batches wait to fill before they go. */
  lowBudgetFraction: number;
}

export interface TenantPacerOptions {
  /**
   * The calls other replicas (and earlier lives of this one under another name) made against the
   * tenant's daily quota, by hour, as far as this replica knows: the state topic brings them.
   */
  otherCalls?: () => Iterable<Readonly<Record<string, number>>>;
}

/**
 * A call the pacer admitted: handed back with `release` when no call was made with it, and
 * reported with `answered` once the call was.
 */
export interface Slot {
  at: number;
}

/**
 * Paces every bulkUpload call to one tenant: never faster than the sliding-window limit, never
 * past the daily quota, and never before a `Retry-After` (or our own backoff) has passed. Jobs
 * of one tenant share one pacer because Entra counts calls per tenant.
 *
 * When several replicas serve a tenant, each takes the share of the window limit that its share
 * of the partitions gives it, so together they stay within it; a window is too short to share
 * any other way. The daily quota is shared by counting: each replica publishes its calls by hour
 * with every accepted request and counts the others' as they arrive, so however the partitions
 * move, the tenant's calls add up to at most the quota, give or take the calls made in the
 * moment before a record arrives.
 */
export class TenantPacer {
  readonly #limits: TenantLimits;
  readonly #clock: Clock;
  readonly #window: SlidingWindow;
  /** This replica's own calls: what it persists, so a restart can count them again. */
  readonly #own: DailyQuota;
  readonly #otherCalls: () => Iterable<Readonly<Record<string, number>>>;
  #share = 1;
  #pausedUntil = 0;
  /**
   * The window limit learnt from 429s, below the configured one while another client uses part
   * of the tenant's calls; undefined until the first 429.
   */
  #learntLimit: number | undefined;
  #learntAt = 0;

  constructor(limits: TenantLimits, clock: Clock, options: TenantPacerOptions = {}) {
    this.#limits = limits;
    this.#clock = clock;
    // A call's place in the window moves to its answer (see `answered`), so how late it left
    // does not matter; the margin only keeps the window edges apart, whichever of them Entra
    // counts.
    const marginMs = Math.max(50, Math.round(limits.windowMs * 0.01));
    this.#window = new SlidingWindow(limits.callsPerWindow, limits.windowMs + marginMs);
    this.#own = new DailyQuota(limits.dailyQuota);
    this.#otherCalls = options.otherCalls ?? (() => []);
  }

  /** This replica's fraction of the tenant's partitions, from 0 (none) to 1 (all). */
  setShare(share: number): void {
    this.#share = Math.min(1, Math.max(0, share));
    this.#applyLimit();
  }

  get share(): number {
    return this.#share;
  }

  /** Waits until a call may go, then counts it. Rejects when `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<Slot> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      const wait = Math.max(
        this.#window.delay(now),
        this.#quotaDelay(now),
        this.#pausedUntil - now,
      );
      if (wait <= 0) {
        this.#probe(now);
        this.#window.admit(now);
        this.#own.record(now);
        return { at: now };
      }
      await this.#clock.sleep(wait, signal);
    }
  }

  /** Hands back a slot no call was made with: it counts neither in the window nor the quota. */
  release(slot: Slot): void {
    this.#window.release(slot.at);
    this.#own.release(slot.at);
  }

  /**
   * The call made with `slot` was answered, so Entra counted it at some moment between its
   * admission and now: from now on it counts in the window as made now. Counted from its
   * admission, a call that left late (the event loop busy, a token to fetch) could arrive
   * within one window of a call admitted a full window later, and earn a 429; counted from its
   * answer, no later call can. The daily quota keeps counting it from its admission.
   */
  answered(slot: Slot): void {
    const now = this.#clock.now();
    if (now <= slot.at) return;
    this.#window.release(slot.at);
    this.#window.admit(now);
    slot.at = now;
  }

  /** No call before `ms` from now: Entra's Retry-After, or our backoff after a throttle. */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + ms);
  }

  /**
   * Entra answered 429: the tenant's limit is lower than ours (another client shares it), so
   * besides pausing, halve the calls this pacer allows per window, starting from what it just
   * made. A window without a 429 raises the limit by one again, up to the configured one: once
   * throttled, the pacer probes Entra's limit by at most one call a window instead of bursting.
   */
  throttled(pauseMs: number): void {
    const now = this.#clock.now();
    this.pauseFor(pauseMs);
    const made = this.#window.count(now);
    this.#learntLimit = Math.max(1, Math.min(this.#window.limit, Math.floor(made / 2)));
    this.#learntAt = now;
    this.#applyLimit();
  }

  /** True when the daily budget is nearly spent, so every call should carry a full batch. */
  lowBudget(): boolean {
    const remaining = this.#limits.dailyQuota - this.#used(this.#clock.now());
    return remaining < this.#limits.dailyQuota * this.#limits.lowBudgetFraction;
  }

  usage(): { used: number; remaining: number; quota: number; windowLimit: number } {
    const used = this.#used(this.#clock.now());
    const quota = this.#limits.dailyQuota;
    return { used, remaining: Math.max(0, quota - used), quota, windowLimit: this.#window.limit };
  }

  /** This replica's calls by hour, for the state topic. */
  ownCalls(): Record<string, number> {
    return this.#own.snapshot(this.#clock.now());
  }

  /** Counts the calls this replica made in an earlier life, persisted again with those to come. */
  restoreCalls(own: Record<string, number>): void {
    this.#own.restore(own, this.#clock.now());
  }

  /** Every replica's calls in the rolling day, as far as this one knows. */
  #used(now: number): number {
    let used = this.#own.used(now);
    for (const hours of this.#otherCalls()) used += callsWithinDay(hours, now);
    return used;
  }

  /** Milliseconds until a call fits the daily quota: when the oldest counted hour leaves it. */
  #quotaDelay(now: number): number {
    if (this.#used(now) < this.#limits.dailyQuota) return 0;
    let ends = oldestHourEnds(this.#own.snapshot(now), now);
    for (const hours of this.#otherCalls()) ends = Math.min(ends, oldestHourEnds(hours, now));
    // Past the quota with nothing counted would mean a quota of 0: check again in an hour.
    return Number.isFinite(ends) ? Math.max(1, ends - now) : 60 * 60_000;
  }

  #applyLimit(): void {
    const configured = Math.floor(this.#limits.callsPerWindow * this.#share);
    this.#window.setLimit(Math.min(configured, this.#learntLimit ?? configured));
  }

  /** Raises a learnt limit by one once a window has passed since it last moved without a 429. */
  #probe(now: number): void {
    if (this.#learntLimit === undefined || now - this.#learntAt < this.#limits.windowMs) return;
    this.#learntAt = now;
    this.#learntLimit += 1;
    if (this.#learntLimit >= this.#limits.callsPerWindow) this.#learntLimit = undefined;
    this.#applyLimit();
  }
}
