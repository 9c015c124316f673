import { randomUUID } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import { parseRetryAfter } from '../pacing/backoff.ts';
import type { TokenSource } from '../auth/token-source.ts';

export interface BulkTarget {
  /** `https://graph.microsoft.com`, a national cloud's Graph host, or the emulator. */
  graphBaseUrl: string;
  apiVersion: 'v1.0' | 'beta';
  servicePrincipalId: string;
  jobId: string;
}

/**
 * What one call came to. The caller decides about retries from this value, so nothing here
 * throws for an answer Entra gave on purpose.
 */
export type BulkOutcome =
  | { kind: 'accepted'; status: 202; requestId: string | undefined; clientRequestId: string }
  /** Throttled, unavailable, or the connection failed: the same request may succeed later. */
  | {
      kind: 'retry';
      status: number;
      retryAfterMs: number | undefined;
      code: string;
      message: string;
    }
  /** Entra refused the payload (400): some record in it is at fault. */
  | { kind: 'rejected'; status: number; code: string; message: string }
  /** Entra refused the caller (403, 404): configuration, not data, is at fault. */
  | { kind: 'misconfigured'; status: number; code: string; message: string };

export interface BulkClientOptions {
  target: BulkTarget;
  tokens: TokenSource;
  dispatcher?: Dispatcher;
  /** Upper bound on one call, response included. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Posts bulk requests to one provisioning job. A 401 gets one fresh token and one more try;
 * a second 401 is reported as retryable, because tokens and clocks recover on their own.
 */
export class BulkClient {
  readonly #options: BulkClientOptions;
  readonly #url: string;

  constructor(options: BulkClientOptions) {
    this.#options = options;
    const { graphBaseUrl, apiVersion, servicePrincipalId, jobId } = options.target;
    this.#url =
      `${graphBaseUrl.replace(/\/+$/, '')}/${apiVersion}/servicePrincipals/` +
      `${encodeURIComponent(servicePrincipalId)}/synchronization/jobs/${encodeURIComponent(jobId)}/bulkUpload`;
  }

  get url(): string {
    return this.#url;
  }

  async upload(body: string, clientRequestId: string = randomUUID()): Promise<BulkOutcome> {
    const first = await this.#post(body, clientRequestId, false);
    if (first.kind !== 'retry' || first.status !== 401) return first;
    return this.#post(body, clientRequestId, true);
  }

  async #post(body: string, clientRequestId: string, freshToken: boolean): Promise<BulkOutcome> {
    let token: string;
    try {
      token = await this.#options.tokens.getToken(freshToken);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        kind: 'retry',
        status: 0,
        retryAfterMs: undefined,
        code: 'TokenUnavailable',
        message,
      };
    }

    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    try {
      const response = await request(this.#url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/scim+json',
          'client-request-id': clientRequestId,
        },
        body,
        ...(this.#options.dispatcher ? { dispatcher: this.#options.dispatcher } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await response.body.text();
      const status = response.statusCode;
      const header = (name: string) => {
        const value = response.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };

      if (status === 202) {
        return { kind: 'accepted', status, requestId: header('request-id'), clientRequestId };
      }
      const { code, message } = graphError(text, status);
      if (status === 401 || status === 408 || status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(
          header('retry-after'),
          (this.#options.now ?? Date.now)(),
        );
        return { kind: 'retry', status, retryAfterMs, code, message };
      }
      if (status === 400 || status === 413 || status === 422) {
        return { kind: 'rejected', status, code, message };
      }
      return { kind: 'misconfigured', status, code, message };
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'NetworkError';
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'retry', status: 0, retryAfterMs: undefined, code, message };
    }
  }
}

/** Graph's error shape, `{ error: { code, message } }`; anything else becomes a generic code. */
function graphError(text: string, status: number): { code: string; message: string } {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === 'string') {
      return { code: parsed.error.code, message: String(parsed.error.message ?? '').slice(0, 500) };
    }
  } catch {
    // Not JSON: a proxy's HTML page or an empty body.
  }
  return { code: `Http${status}`, message: text.slice(0, 200) };
}
