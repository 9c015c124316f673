import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { TributaryError } from '@tributary/errors';
import { withUrlTemplate } from '@tributary/telemetry';
import { backoffMs, parseRetryAfter, type BackoffOptions } from './backoff.ts';
import { RateLimiter } from './rate-limiter.ts';

export interface HttpJsonClientOptions {
  baseUrl: string;
  /** Headers on every request: the vendor's authentication. */
  headers?: Record<string, string>;
  /** One attempt, headers and body together. */
  timeoutMs?: number;
  maxAttempts?: number;
  backoff?: BackoffOptions;
  requestsPerSecond?: number;
  /** The longest `Retry-After` worth waiting for within one call; longer fails as retryable. */
  maxRetryAfterMs?: number;
  dispatcher?: Dispatcher;
}

export interface JsonRequest {
  method: 'GET' | 'POST';
  /** Appended to the base URL; segments must already be encoded. */
  path: string;
  /**
   * The path with its ids left as placeholders (`/v1/people/{id}`), for the client span. Without
   * it the span withholds the path: real paths carry employee ids and sometimes emails.
   */
  route?: string;
  query?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

/**
 * A small JSON client for vendor HR APIs. Retries what can succeed later (network errors,
 * timeouts, 408, 429, 5xx) with exponential backoff and jitter, honouring `Retry-After`; fails
 * fast on other 4xx with `HYDRATION_REFUSED`, or after the last attempt with `HYDRATION_FAILED`.
 * Reads used for hydration are safe to repeat, including the POST reads some vendors use.
 */
export class HttpJsonClient {
  readonly #options: Required<Omit<HttpJsonClientOptions, 'dispatcher' | 'headers'>>;
  readonly #headers: Record<string, string>;
  readonly #dispatcher: Dispatcher;
  readonly #limiter: RateLimiter;

  constructor(options: HttpJsonClientOptions) {
    this.#options = {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      timeoutMs: options.timeoutMs ?? 5_000,
      maxAttempts: options.maxAttempts ?? 4,
      backoff: options.backoff ?? { baseMs: 250, maxMs: 8_000 },
      requestsPerSecond: options.requestsPerSecond ?? 10,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    };
    this.#headers = { accept: 'application/json', ...options.headers };
    this.#dispatcher = options.dispatcher ?? new Agent({ connections: 16 });
    this.#limiter = new RateLimiter(this.#options.requestsPerSecond);
  }

  async request(call: JsonRequest): Promise<JsonResponse> {
    const url = new URL(`${this.#options.baseUrl}${call.path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    const what = `${call.method} ${url.pathname}`;
    let lastFailure: TributaryError | undefined;

    for (let attempt = 1; attempt <= this.#options.maxAttempts; attempt++) {
      call.signal?.throwIfAborted();
      await this.#limiter.acquire(call.signal);
      const outcome = await (call.route === undefined
        ? this.#attempt(url, call, what)
        : withUrlTemplate(call.route, () => this.#attempt(url, call, what)));
      if ('body' in outcome) return outcome;
      lastFailure = outcome.failure;
      if (!outcome.failure.retryable || attempt === this.#options.maxAttempts) break;

      const waitMs = outcome.failure.retryAfterMs ?? backoffMs(attempt, this.#options.backoff);
      if (waitMs > this.#options.maxRetryAfterMs) break;
      await sleep(waitMs, undefined, call.signal ? { signal: call.signal } : undefined);
    }
    throw lastFailure!;
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  async #attempt(
    url: URL,
    call: JsonRequest,
    what: string,
  ): Promise<JsonResponse | { failure: TributaryError }> {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    try {
      const response = await request(url, {
        method: call.method,
        dispatcher: this.#dispatcher,
        signal,
        headers:
          call.body === undefined
            ? this.#headers
            : { ...this.#headers, 'content-type': 'application/json' },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      });
      const text = await response.body.text();
      const status = response.statusCode;

      if (status >= 200 && status < 300) {
        try {
          return { status, body: text === '' ? undefined : JSON.parse(text) };
        } catch {
          // No cause: the parser's message quotes the answer, which is personal data.
          return { failure: failed(`${what}: the answer is not JSON`, status) };
        }
      }
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      if (status === 408 || status === 429 || status >= 500) {
        return { failure: failed(`${what}: answered ${status}`, status, undefined, retryAfterMs) };
      }
      return {
        failure: new TributaryError('HYDRATION_REFUSED', `${what}: answered ${status}`, {
          details: { status },
        }),
      };
    } catch (cause) {
      // The caller's own signal means "stop", not "retry".
      if (call.signal?.aborted) throw call.signal.reason;
      const reason = timeout.aborted
        ? `no answer within ${this.#options.timeoutMs} ms`
        : 'network error';
      return { failure: failed(`${what}: ${reason}`, undefined, cause) };
    }
  }
}

function failed(
  message: string,
  status: number | undefined,
  cause?: unknown,
  retryAfterMs?: number,
): TributaryError {
  return new TributaryError('HYDRATION_FAILED', message, {
    cause,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    details: status === undefined ? {} : { status },
  });
}
