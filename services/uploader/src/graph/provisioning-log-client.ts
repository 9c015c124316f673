import { request, type Dispatcher } from 'undici';
import type { TokenSource } from '../auth/token-source.ts';
import { parseRetryAfter } from '../pacing/backoff.ts';
import { graphError } from './graph-error.ts';

/** The parts of a Graph `provisioningObjectSummary` the uploader reads. */
export interface ProvisioningLogEntry {
  id: string;
  activityDateTime: string;
  jobId: string | null;
  cycleId: string | null;
  changeId: string | null;
  action: string;
  status: string;
  sourceId: string;
  targetId: string | null;
  error: { code: string; category: string | null; reason: string | null } | null;
}

export type LogPage =
  | { kind: 'page'; entries: ProvisioningLogEntry[]; unreadable: number; next: string | undefined }
  | { kind: 'retry'; status: number; retryAfterMs: number | undefined; code: string }
  /** Permission missing, job unknown, query refused: nothing a retry soon would change. */
  | { kind: 'refused'; status: number; code: string };

export interface ProvisioningLogClientOptions {
  /** `https://graph.microsoft.com`, or a national cloud's. */
  graphBaseUrl: string;
  apiVersion: 'v1.0' | 'beta';
  tokens: TokenSource;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Reads a job's provisioning log entries from `GET /auditLogs/provisioning`, oldest first, one
 * page at a time. Follows `@odata.nextLink` only to the Graph host it was configured with, so
 * the bearer token never goes anywhere else.
 */
export class ProvisioningLogClient {
  readonly #options: ProvisioningLogClientOptions;
  readonly #origin: string;
  readonly #base: string;

  constructor(options: ProvisioningLogClientOptions) {
    this.#options = options;
    this.#base = options.graphBaseUrl.replace(/\/+$/, '');
    this.#origin = new URL(this.#base).origin;
  }

  /** The first page of entries of `jobId` logged at or after `since`. */
  firstPage(jobId: string, since: number, pageSize = 500): string {
    // OData string literals double their quotes; filters on this resource are case-sensitive.
    const filter =
      `jobid eq '${jobId.replaceAll("'", "''")}' and ` +
      `activityDateTime ge ${new Date(since).toISOString()}`;
    const query = new URLSearchParams({
      $filter: filter,
      $orderby: 'activityDateTime asc',
      $top: String(pageSize),
    });
    return `${this.#base}/${this.#options.apiVersion}/auditLogs/provisioning?${query}`;
  }

  async read(url: string): Promise<LogPage> {
    if (new URL(url).origin !== this.#origin) {
      return { kind: 'refused', status: 0, code: 'ForeignNextLink' };
    }
    const first = await this.#get(url, false);
    if (first.kind !== 'retry' || first.status !== 401) return first;
    return this.#get(url, true);
  }

  async #get(url: string, freshToken: boolean): Promise<LogPage> {
    let token: string;
    try {
      token = await this.#options.tokens.getToken(freshToken);
    } catch {
      return { kind: 'retry', status: 0, retryAfterMs: undefined, code: 'TokenUnavailable' };
    }
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    try {
      const response = await request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        ...(this.#options.dispatcher ? { dispatcher: this.#options.dispatcher } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await response.body.text();
      const status = response.statusCode;
      if (status === 200) return parsePage(text);
      const { code } = graphError(text, status);
      if (status === 401 || status === 408 || status === 429 || status >= 500) {
        const retryAfter = response.headers['retry-after'];
        const now = (this.#options.now ?? Date.now)();
        return { kind: 'retry', status, retryAfterMs: parseRetryAfter(retryAfter, now), code };
      }
      return { kind: 'refused', status, code };
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'NetworkError';
      return { kind: 'retry', status: 0, retryAfterMs: undefined, code };
    }
  }
}

function parsePage(text: string): LogPage {
  let body: { value?: unknown; '@odata.nextLink'?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return { kind: 'retry', status: 200, retryAfterMs: undefined, code: 'UnreadableResponse' };
  }
  const values = Array.isArray(body.value) ? (body.value as unknown[]) : [];
  const entries: ProvisioningLogEntry[] = [];
  for (const value of values) {
    const entry = toEntry(value);
    if (entry) entries.push(entry);
  }
  const next = body['@odata.nextLink'];
  return {
    kind: 'page',
    entries,
    unreadable: values.length - entries.length,
    next: typeof next === 'string' ? next : undefined,
  };
}

/** The fields that matter, or undefined for an entry without an id, a time or a source. */
export function toEntry(value: unknown): ProvisioningLogEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const object = (x: unknown) =>
    typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
  const text = (x: unknown) => (typeof x === 'string' && x !== '' ? x : null);

  const id = text(v.id);
  const at = text(v.activityDateTime);
  const sourceId = text(object(v.sourceIdentity).id);
  if (id === null || at === null || Number.isNaN(Date.parse(at)) || sourceId === null) {
    return undefined;
  }
  const statusInfo = object(v.provisioningStatusInfo);
  // v1.0 has provisioningStatusInfo and provisioningAction; older and beta entries may carry
  // only statusInfo and the legacy capitalised action.
  const status = text(statusInfo.status) ?? text(object(v.statusInfo).status) ?? 'unknown';
  const action = (text(v.provisioningAction) ?? text(v.action) ?? 'other').toLowerCase();
  const error = object(statusInfo.errorInformation ?? statusInfo.errorInfo);
  const errorCode = text(error.errorCode);
  return {
    id,
    activityDateTime: at,
    jobId: text(v.jobId),
    cycleId: text(v.cycleId),
    changeId: text(v.changeId),
    action,
    status: status.toLowerCase(),
    sourceId,
    targetId: text(object(v.targetIdentity).id),
    error:
      errorCode === null
        ? null
        : { code: errorCode, category: text(error.errorCategory), reason: text(error.reason) },
  };
}
