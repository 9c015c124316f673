import type { ThrottlingConfig } from '../config/emulator-config.ts';
import { SlidingLog } from './sliding-log.ts';

export type ThrottleDecision =
  { allowed: true } | { allowed: false; limit: 'window' | 'dailyQuota'; retryAfterSeconds: number };

const dayMs = 86_400_000;

/**
 * bulkUpload throttling per tenant: at most `maxCallsPerWindow` calls in any trailing
 * `windowSeconds`, and at most the daily quota in any trailing 24 hours. Rejected calls do not
 * count against either limit.
 */
export class TenantThrottle {
  readonly #windows = new Map<string, SlidingLog>();
  readonly #days = new Map<string, SlidingLog>();

  decide(
    tenantId: string,
    settings: ThrottlingConfig,
    dailyQuota: number,
    nowMs: number,
  ): ThrottleDecision {
    const window = this.#log(this.#windows, tenantId);
    const day = this.#log(this.#days, tenantId);

    const dayWait = day.waitMs(nowMs, dayMs, dailyQuota);
    if (dayWait > 0)
      return { allowed: false, limit: 'dailyQuota', retryAfterSeconds: seconds(dayWait) };
    const windowWait = window.waitMs(
      nowMs,
      settings.windowSeconds * 1000,
      settings.maxCallsPerWindow,
    );
    if (windowWait > 0)
      return { allowed: false, limit: 'window', retryAfterSeconds: seconds(windowWait) };

    window.record(nowMs);
    day.record(nowMs);
    return { allowed: true };
  }

  /** Calls counted in the trailing 24 hours, per tenant. */
  dailyCounts(): Record<string, number> {
    return Object.fromEntries([...this.#days].map(([tenant, log]) => [tenant, log.count]));
  }

  #log(map: Map<string, SlidingLog>, tenantId: string): SlidingLog {
    let log = map.get(tenantId);
    if (!log) {
      log = new SlidingLog();
      map.set(tenantId, log);
    }
    return log;
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
