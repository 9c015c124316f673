import type { SpanContext } from '@opentelemetry/api';
import { orderManagersFirst } from './manager-order.ts';

/** How a record's part in an upload ended. */
export type Settlement = 'accepted' | 'unchanged' | 'dead-lettered';

/** The consumer side of a submitted record: settled once, or handed back when withdrawn. */
export interface Waiter {
  settle(outcome: Settlement): void;
  handBack(reason: Error): void;
}

/** Where a record came from, for the dead-letter topic. */
export interface RecordRef {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  raw: Buffer | null;
  /** The record's processing span: the bulkUpload span that carries it is its child or link. */
  spanContext?: SpanContext;
}

/** One worker's newest payload for a job, and every record it stands for. */
export interface Op {
  externalId: string;
  /**
   * The user as serialized for the request, and its digest. The object itself is not kept: a
   * backlog of thousands would hold each user twice.
   */
  json: Buffer;
  digest: string;
  managerId: string | undefined;
  /** Send even when the digest is unchanged: a report re-sent so its manager resolves. */
  force: boolean;
  /** The partition its records came from; re-sends have none. */
  partition: number | undefined;
  /** The record whose payload this is (the newest), and its waiter. */
  record: RecordRef | undefined;
  waiter: Waiter | undefined;
  /**
   * Older records of the same worker this op superseded: settled with it, and dead-lettered with
   * it when it is refused, so none of them is committed without having been sent or kept.
   */
  superseded: { record: RecordRef | undefined; waiter: Waiter }[];
  firstSeenAt: number;
}

export interface Submission {
  externalId: string;
  json: Buffer;
  digest: string;
  managerId: string | undefined;
  force?: boolean;
  partition?: number;
  record?: RecordRef;
  waiter?: Waiter;
}

/**
 * The operations waiting to go to one job, one per worker. A newer snapshot of a worker replaces
 * the waiting one (the newest wins) and the older record is settled with it. Workers in flight are
 * held back, so one worker never has two requests racing, and so are reports whose manager is in
 * flight, so the manager is staged first.
 */
export class PendingOps {
  readonly #ops = new Map<string, Op>();
  readonly #inFlight = new Set<string>();

  get size(): number {
    return this.#ops.size;
  }

  submit(submission: Submission, now: number): void {
    const existing = this.#ops.get(submission.externalId);
    if (existing && submission.record === undefined) {
      // A re-send for a manager's sake: the waiting payload is at least as new, so it just must go.
      existing.force = true;
      return;
    }
    if (existing) {
      if (existing.waiter) {
        existing.superseded.push({ record: existing.record, waiter: existing.waiter });
      }
      existing.json = submission.json;
      existing.digest = submission.digest;
      existing.managerId = submission.managerId;
      existing.force ||= submission.force ?? false;
      existing.record = submission.record ?? existing.record;
      existing.waiter = submission.waiter;
      existing.partition = submission.partition ?? existing.partition;
      return;
    }
    this.#ops.set(submission.externalId, {
      externalId: submission.externalId,
      json: submission.json,
      digest: submission.digest,
      managerId: submission.managerId,
      force: submission.force ?? false,
      partition: submission.partition,
      record: submission.record,
      waiter: submission.waiter,
      superseded: [],
      firstSeenAt: now,
    });
  }

  /**
   * Ops that may go now, counted up to `enough`, and the arrival time of the oldest of them.
   * Ops are kept in arrival order, so the count can stop early: with a backlog of thousands,
   * counting them all on every submit would cost more than the uploads.
   */
  sendable(enough = Infinity): { count: number; oldestAt: number | undefined } {
    let count = 0;
    let oldestAt: number | undefined;
    for (const op of this.#ops.values()) {
      if (count >= enough) break;
      if (!this.#isSendable(op)) continue;
      count++;
      if (oldestAt === undefined || op.firstSeenAt < oldestAt) oldestAt = op.firstSeenAt;
    }
    return { count, oldestAt };
  }

  /**
   * Removes and returns up to `max` sendable ops, managers ahead of their reports, and marks
   * their workers in flight. `unchanged` decides which ops need no call at all; those are
   * removed and returned apart.
   */
  take(
    max: number,
    unchanged: (op: Op) => boolean,
  ): { batch: Op[]; skipped: Op[]; cycles: string[][] } {
    const skipped: Op[] = [];
    // The oldest `max` candidates, each with its waiting managers up the chain, so that ordering
    // them alone still puts every manager ahead of its reports, without scanning the backlog.
    const candidates = new Map<string, Op>();
    const consider = (op: Op | undefined): boolean => {
      if (!op || candidates.has(op.externalId) || !this.#isSendable(op)) return false;
      if (!op.force && unchanged(op)) {
        skipped.push(op);
        this.#ops.delete(op.externalId);
        return false;
      }
      candidates.set(op.externalId, op);
      return true;
    };
    for (const op of this.#ops.values()) {
      if (candidates.size >= max) break;
      for (let next = op; consider(next) && next.managerId !== undefined;) {
        const manager = this.#ops.get(next.managerId);
        if (!manager) break;
        next = manager;
      }
    }
    const { ordered, cycles } = orderManagersFirst(
      [...candidates.values()],
      (op) => op.externalId,
      (op) => op.managerId,
    );
    const batch = ordered.slice(0, max);
    for (const op of batch) {
      this.#ops.delete(op.externalId);
      this.#inFlight.add(op.externalId);
    }
    return { batch, skipped, cycles };
  }

  /** The ops' request ended, one way or another. */
  landed(ops: readonly Op[]): void {
    for (const op of ops) this.#inFlight.delete(op.externalId);
  }

  /** Removes the waiting ops whose records came from `partition` (revoked, or stopping). */
  withdraw(partition: number | 'all'): Op[] {
    const withdrawn: Op[] = [];
    for (const op of this.#ops.values()) {
      if (partition === 'all' || op.partition === partition) withdrawn.push(op);
    }
    for (const op of withdrawn) this.#ops.delete(op.externalId);
    return withdrawn;
  }

  /**
   * Not in flight, and no manager up its chain is in flight: a report waits while any manager
   * above it waits for one of its own, so the chain is staged from the top. (Checking only the
   * direct manager would send a report ahead of a manager held back behind its own manager.)
   */
  #isSendable(op: Op): boolean {
    if (this.#inFlight.has(op.externalId)) return false;
    // Most chains are a few managers long: walk them without remembering. A cycle shorter than
    // the bound is merely walked round again; a longer walk remembers what it saw, to stop.
    let managerId = op.managerId;
    for (let hop = 0; managerId !== undefined && hop < shortChain; hop++) {
      if (this.#inFlight.has(managerId)) return false;
      managerId = this.#ops.get(managerId)?.managerId;
    }
    const seen = new Set<string>([op.externalId]);
    for (; managerId !== undefined && !seen.has(managerId);) {
      if (this.#inFlight.has(managerId)) return false;
      seen.add(managerId);
      managerId = this.#ops.get(managerId)?.managerId;
    }
    return true;
  }
}

/** Reporting chains up to this many managers are checked without allocating. */
const shortChain = 16;
