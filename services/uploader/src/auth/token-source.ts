import type { TokenCredential } from '@azure/core-auth';
import { SpanKind, trace } from '@opentelemetry/api';
import { attributes, recordSpanError } from '@tributary/telemetry';

export const graphScope = 'https://graph.microsoft.com/.default';

/** Hands out bearer tokens for Graph. */
export interface TokenSource {
  /** A token from the credential's cache, or, with `fresh`, one the cache cannot have served. */
  getToken(fresh: boolean): Promise<string>;
  /** True once a token was obtained: part of readiness. */
  readonly obtained: boolean;
}

const tracer = trace.getTracer('@tributary/uploader');

export interface TokenEvents {
  onFailure?: (error: unknown) => void;
}

/**
 * Tokens from an `@azure/identity` credential, which caches them and refreshes them before they
 * expire. A 401 from Graph means the cached token went bad early (revoked, clock skew), so a
 * fresh credential, with an empty cache, is built for the retry.
 */
export class IdentityTokenSource implements TokenSource {
  readonly #create: () => TokenCredential;
  readonly #scope: string;
  readonly #events: TokenEvents;
  #credential: TokenCredential;
  #obtained = false;

  constructor(create: () => TokenCredential, scope = graphScope, events: TokenEvents = {}) {
    this.#create = create;
    this.#scope = scope;
    this.#events = events;
    this.#credential = create();
  }

  get obtained(): boolean {
    return this.#obtained;
  }

  /**
   * Traced as `getToken`: mostly a cache hit, otherwise the parent of the credential's HTTP call
   * to the token endpoint. A failure records the error's type, never its message.
   */
  getToken(fresh: boolean): Promise<string> {
    return tracer.startActiveSpan(
      'getToken',
      { kind: SpanKind.INTERNAL, attributes: { [attributes.tokenFresh]: fresh } },
      async (span) => {
        if (fresh) this.#credential = this.#create();
        try {
          const token = await this.#credential.getToken(this.#scope);
          if (!token) throw new Error('the credential returned no token');
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
