import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { SpanKind, trace } from '@opentelemetry/api';
import { attributes, recordSpanError } from '@tributary/telemetry';
import { graphScope } from './graph-scope.ts';

/** Hands out bearer tokens for Graph. */
export interface TokenSource {
  /** A token from the credential's cache, or, with `fresh`, one the cache cannot have served. */
  getToken(fresh: boolean): Promise<string>;
  /** True once a token was obtained: part of readiness. */
  readonly obtained: boolean;
}

const tracer = trace.getTracer('@tributary/uploader');

/** A held token is used until this long before it expires; then the credential is asked again. */
const expiryMarginMs = 2 * 60_000;

export interface TokenEvents {
  onFailure?: (error: unknown) => void;
}

/**
 * Tokens from an `@azure/identity` credential, which caches them and refreshes them before they
 * expire. A 401 from Graph means the held token went bad early (revoked, clock skew), so a fresh
 * credential, with an empty cache, is built for the retry.
 *
 * The last token is also held here until the credential would refresh it: every bulk request
 * needs one, and asking the credential (MSAL's cache lookup) cost about as much as the HTTP call.
 */
export class IdentityTokenSource implements TokenSource {
  readonly #create: () => TokenCredential;
  readonly #scope: string;
  readonly #events: TokenEvents;
  readonly #now: () => number;
  #credential: TokenCredential;
  #held: AccessToken | undefined;
  #obtained = false;

  constructor(
    create: () => TokenCredential,
    scope = graphScope,
    events: TokenEvents = {},
    now: () => number = Date.now,
  ) {
    this.#create = create;
    this.#scope = scope;
    this.#events = events;
    this.#now = now;
    this.#credential = create();
  }

  get obtained(): boolean {
    return this.#obtained;
  }

  getToken(fresh: boolean): Promise<string> {
    const held = this.#held;
    if (!fresh && held !== undefined && this.#now() < usableUntil(held)) {
      return Promise.resolve(held.token);
    }
    return this.#acquire(fresh);
  }

  /**
   * Traced as `getToken`: the parent of the credential's HTTP call to the token endpoint when its
   * cache cannot answer. A failure records the error's type, never its message.
   */
  #acquire(fresh: boolean): Promise<string> {
    return tracer.startActiveSpan(
      'getToken',
      { kind: SpanKind.INTERNAL, attributes: { [attributes.tokenFresh]: fresh } },
      async (span) => {
        if (fresh) {
          this.#credential = this.#create();
          this.#held = undefined;
        }
        try {
          const token = await this.#credential.getToken(this.#scope);
          if (!token) throw new Error('the credential returned no token');
          this.#held = token;
          this.#obtained = true;
          return token.token;
        } catch (error) {
          recordSpanError(span, error);
          this.#events.onFailure?.(error);
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}

function usableUntil(token: AccessToken): number {
  const beforeExpiry = token.expiresOnTimestamp - expiryMarginMs;
  return token.refreshAfterTimestamp === undefined
    ? beforeExpiry
    : Math.min(token.refreshAfterTimestamp, beforeExpiry);
}
