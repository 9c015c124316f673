import type { ScimUser } from '../mapping/index.ts';

/**
 * What one provisioning job has been sent, in memory: the digest of each worker's last accepted
 * payload and the reports waiting for a manager the job has never been sent. Rebuilt at start from
 * the compacted state topic. Sized for 100,000 workers: a short digest per worker, and payloads
 * only for the (few) reports that wait.
 */
export class JobState {
  readonly #digests = new Map<string, string>();
  /** Manager externalId to the reports waiting for it, with the payload to send again. */
  readonly #waiting = new Map<string, Map<string, ScimUser>>();
  /** Report externalId to the manager it waits for. */
  readonly #waitsFor = new Map<string, string>();

  /** True when Entra accepted a payload for this worker from this job. */
  wasSent(externalId: string): boolean {
    return this.#digests.has(externalId);
  }

  digest(externalId: string): string | undefined {
    return this.#digests.get(externalId);
  }

  get knownWorkers(): number {
    return this.#digests.size;
  }

  /** Reports whose manager reference Entra cannot resolve yet. */
  get unresolvedManagers(): number {
    return this.#waitsFor.size;
  }

  /**
   * Records an accepted payload. `awaitingManager` is set when the report's manager has never
   * been sent: the payload is kept, to send again once the manager has been.
   */
  accept(externalId: string, digest: string, awaitingManager?: string, user?: ScimUser): void {
    this.#digests.set(externalId, digest);
    this.#stopWaiting(externalId);
    if (awaitingManager !== undefined && user !== undefined) {
      this.#waitsFor.set(externalId, awaitingManager);
      let reports = this.#waiting.get(awaitingManager);
      if (!reports) this.#waiting.set(awaitingManager, (reports = new Map()));
      reports.set(externalId, user);
    }
  }

  /** Hands over, and forgets, the reports that waited for `managerExternalId`. */
  takeWaitingReports(managerExternalId: string): Map<string, ScimUser> {
    const reports = this.#waiting.get(managerExternalId) ?? new Map<string, ScimUser>();
    this.#waiting.delete(managerExternalId);
    for (const reportId of reports.keys()) this.#waitsFor.delete(reportId);
    return reports;
  }

  /** Reports waiting for managers that have since been sent (after a restart, say). */
  waitingForSentManagers(): string[] {
    return [...this.#waiting.keys()].filter((managerId) => this.#digests.has(managerId));
  }

  #stopWaiting(reportId: string): void {
    const managerId = this.#waitsFor.get(reportId);
    if (managerId === undefined) return;
    this.#waitsFor.delete(reportId);
    const reports = this.#waiting.get(managerId);
    reports?.delete(reportId);
    if (reports?.size === 0) this.#waiting.delete(managerId);
  }
}
