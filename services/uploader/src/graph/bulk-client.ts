import { randomUUID } from 'node:crypto';
import {
  SpanKind,
  context as otelContext,
  propagation,
  trace,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import { attributes, recordSpanError } from '@tributary/telemetry';
import { request, type Dispatcher } from 'undici';
import { parseRetryAfter } from '../pacing/backoff.ts';
import { graphError } from './graph-error.ts';
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

/**
 * Who the call is for, for its span. A request carries up to 50 records, each with its own
 * trace; the span is made a child of `parent` (the first record's processing span), so that one
 * trace runs unbroken from a webhook to Entra, and is linked to the other records' spans.
 */
export interface UploadTrace {
  job: string;
  operations: number;
  attempt: number;
  parent: SpanContext | undefined;
  links: SpanContext[];
}

const tracer = trace.getTracer('@tributary/uploader');

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
 * a second 401 is reported as retryable, because tokens and clocks recover on their own. The
 * retry is a call like any other for Entra's limits: `beforeRetry` lets the caller pace it.
 */
export class BulkClient {
  readonly #options: BulkClientOptions;
  readonly #url: string;

  constructor(options: BulkClientOptions) {
    this.#options = options;
    const { graphBaseUrl, apiVersion, servicePrincipalId, jobId } = options.target;
    this.#url =
      `${graphBaseUrl.replace(/\/+$/, '')}/${apiVersion}/servicePrincipals/` +
      `${encodeURIComponent(servicePrincipalId)}/synchronization/jobs/` +
      `${encodeURIComponent(jobId)}/bulkUpload`;
  }

  get url(): string {
    return this.#url;
  }

  async upload(
    body: Buffer,
    clientRequestId: string = randomUUID(),
    about?: UploadTrace,
    beforeRetry?: () => Promise<void>,
  ): Promise<BulkOutcome> {
    const first = await this.#traced(about, (span) =>
      this.#post(body, clientRequestId, false, span),
    );
    if (first.kind !== 'retry' || first.status !== 401) return first;
    await beforeRetry?.();
    const retry = about === undefined ? undefined : { ...about, attempt: about.attempt + 1 };
    return this.#traced(retry, (span) => this.#post(body, clientRequestId, true, span));
  }

  /**
   * One HTTP client span per POST, made here rather than by the undici instrumentation so that
   * it carries the job, the operation count and the attempt; the instrumentation is suppressed
   * for the call and the trace context is written into the request by hand.
   */
  async #traced(
    about: UploadTrace | undefined,
    post: (span: Span) => Promise<BulkOutcome>,
  ): Promise<BulkOutcome> {
    const url = new URL(this.#url);
    const parent = about?.parent
      ? trace.setSpanContext(otelContext.active(), about.parent)
      : otelContext.active();
    const span = tracer.startSpan(
      'POST',
      {
        kind: SpanKind.CLIENT,
        links: (about?.links ?? []).map((context) => ({ context })),
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: 'POST',
          [ATTR_URL_FULL]: this.#url,
          [ATTR_SERVER_ADDRESS]: url.hostname,
          [ATTR_SERVER_PORT]: Number(url.port || 443),
          ...(about === undefined
            ? {}
            : {
                [attributes.job]: about.job,
                [attributes.bulkOperations]: about.operations,
                [attributes.bulkAttempt]: about.attempt,
              }),
        },
      },
      parent,
    );
    try {
      const outcome = await otelContext.with(trace.setSpan(parent, span), () => post(span));
      span.setAttribute(attributes.bulkOutcome, outcome.kind);
      if (outcome.status > 0) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.status);
      if (outcome.kind !== 'accepted') recordSpanError(span, { code: outcome.code });
      return outcome;
    } finally {
      span.end();
    }
  }

  async #post(
    body: Buffer,
    clientRequestId: string,
    freshToken: boolean,
    span: Span,
  ): Promise<BulkOutcome> {
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
    const traceHeaders: Record<string, string> = {};
    propagation.inject(trace.setSpan(otelContext.active(), span), traceHeaders);
    try {
      const response = await otelContext.with(suppressTracing(otelContext.active()), () =>
        request(this.#url, {
          method: 'POST',
          headers: {
            ...traceHeaders,
            authorization: `Bearer ${token}`,
            'content-type': 'application/scim+json',
            'client-request-id': clientRequestId,
          },
          body,
          ...(this.#options.dispatcher ? { dispatcher: this.#options.dispatcher } : {}),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        }),
      );
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
