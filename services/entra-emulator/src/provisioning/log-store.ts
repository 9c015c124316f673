import type { LogPredicate } from './log-filter.ts';
import type { LogRecord } from './log-record.ts';

export interface LogQuery {
  predicate?: LogPredicate;
  descending: boolean;
  top: number;
  /** Sequence number of the last record on the previous page. */
  after?: number;
  nowMs: number;
}

export interface LogPage {
  records: LogRecord[];
  /** Set when more records match: the sequence number to continue after. */
  continueAfter?: number;
}

/**
 * Provisioning log records in the order they were written. Sequence numbers only grow and times
 * never go backwards, so `seq` orders by `activityDateTime` and makes a stable paging key. The
 * oldest records are dropped beyond `retain`, the way the real service ages entries out.
 */
export class LogStore {
  #records: LogRecord[] = [];
  #nextSeq = 1;
  #lastTimeMs = 0;
  readonly #retain: number;

  constructor(retain: number) {
    this.#retain = retain;
  }

  get size(): number {
    return this.#records.length;
  }

  nextSeq(): number {
    return this.#nextSeq++;
  }

  /** A timestamp no earlier than the previous record's, even if the wall clock steps back. */
  now(): number {
    this.#lastTimeMs = Math.max(this.#lastTimeMs, Date.now());
    return this.#lastTimeMs;
  }

  add(record: LogRecord): void {
    this.#records.push(record);
    if (this.#records.length > this.#retain * 1.25) {
      this.#records = this.#records.slice(this.#records.length - this.#retain);
    }
  }

  all(): readonly LogRecord[] {
    return this.#records;
  }

  restore(records: LogRecord[]): void {
    this.#records = records;
    const last = records.at(-1);
    if (last) {
      this.#nextSeq = last.seq + 1;
      this.#lastTimeMs = last.timeMs;
    }
  }

  query(query: LogQuery): LogPage {
    const records = this.#records;
    const out: LogRecord[] = [];
    const step = query.descending ? -1 : 1;
    let index = query.descending ? records.length - 1 : 0;
    if (query.after !== undefined) index = this.#indexAfter(query.after, query.descending);

    for (; index >= 0 && index < records.length; index += step) {
      const record = records[index]!;
      if (record.visibleAtMs > query.nowMs) continue;
      if (query.predicate && !query.predicate(record)) continue;
      if (out.length === query.top) return { records: out, continueAfter: out.at(-1)!.seq };
      out.push(record);
    }
    return { records: out };
  }

  /** The first index past `seq` in the reading direction, by binary search over `seq`. */
  #indexAfter(seq: number, descending: boolean): number {
    const records = this.#records;
    let low = 0;
    let high = records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (records[mid]!.seq <= seq) low = mid + 1;
      else high = mid;
    }
    // `low` is the first record with a larger seq; going down, start just below `seq`.
    if (!descending) return low;
    let index = low - 1;
    if (index >= 0 && records[index]!.seq === seq) index -= 1;
    return index;
  }
}
