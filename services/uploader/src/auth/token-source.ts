import type { TokenCredential } from '@azure/core-auth';

export const graphScope = 'https://graph.microsoft.com/.default';

/** Hands out bearer tokens for Graph. */
export interface TokenSource {
  /** A token from the credential's cache, or, with `fresh`, one the cache cannot have served. */
  getToken(fresh: boolean): Promise<string>;
  /** True once a token was obtained: part of readiness. */
  readonly obtained: boolean;
}

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

  async getToken(fresh: boolean): Promise<string> {
    if (fresh) this.#credential = this.#create();
    try {
      const token = await this.#credential.getToken(this.#scope);
      if (!token) throw new Error('the credential returned no token');
      this.#obtained = true;
      return token.token;
    } catch (error) {
      this.#events.onFailure?.(error);
      throw error;
    }
  }
}
