import { createHash, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { decodeJwt, signJwt, verifySignature } from './jwt.ts';
import type { RegisteredApp } from './credential-registry.ts';

export const graphAudience = 'https://graph.microsoft.com';
export const graphAppId = '00000003-0000-0000-c000-000000000000';

export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
  appid: string;
  azp: string;
  oid: string;
  sub: string;
  roles: string[];
  idtyp: 'app';
  ver: '1.0';
  uti: string;
}

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'missing' | 'expired' | 'invalid'; message: string };

/**
 * Issues and checks Graph access tokens: RS256 JWTs shaped like Entra's app-only v1 tokens.
 * Checks of a token already seen are served from a small cache, since an uploader presents the
 * same token on every call for an hour.
 */
export class TokenIssuer {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;
  readonly kid: string;
  readonly #lifetimeSeconds: () => number;
  readonly #verified = new Map<string, AccessTokenClaims>();

  constructor(privateKey: KeyObject, lifetimeSeconds: () => number) {
    this.#privateKey = privateKey;
    this.#publicKey = createPublicKey(privateKey);
    const der = this.#publicKey.export({ type: 'spki', format: 'der' });
    this.kid = createHash('sha256').update(der).digest('base64url').slice(0, 27);
    this.#lifetimeSeconds = lifetimeSeconds;
  }

  get jwks(): { keys: Record<string, unknown>[] } {
    const jwk = this.#publicKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: this.kid, use: 'sig', alg: 'RS256', kty: 'RSA' }] };
  }

  issue(app: RegisteredApp): { token: string; expiresIn: number } {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = this.#lifetimeSeconds();
    const claims: AccessTokenClaims = {
      aud: graphAudience,
      iss: `https://sts.windows.net/${app.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      tid: app.tenantId,
      appid: app.appId,
      azp: app.appId,
      oid: app.servicePrincipalId,
      sub: app.servicePrincipalId,
      roles: app.permissions,
      idtyp: 'app',
      ver: '1.0',
      uti: randomUUID(),
    };
    const token = signJwt(
      { typ: 'JWT', alg: 'RS256', kid: this.kid },
      { ...claims },
      this.#privateKey,
    );
    return { token, expiresIn: lifetime };
  }

  check(authorization: string | undefined): TokenCheck {
    const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!match) return { ok: false, reason: 'missing', message: 'Access token is empty.' };
    const token = match[1]!;

    let claims = this.#verified.get(token);
    if (!claims) {
      const jwt = decodeJwt(token);
      if (!jwt || jwt.header.alg !== 'RS256' || !verifySignature(jwt, this.#publicKey)) {
        return { ok: false, reason: 'invalid', message: 'Invalid signature.' };
      }
      claims = jwt.claims as unknown as AccessTokenClaims;
      if (claims.aud !== graphAudience && claims.aud !== graphAppId) {
        return { ok: false, reason: 'invalid', message: 'Invalid audience.' };
      }
      if (this.#verified.size > 10_000) this.#verified.clear();
      this.#verified.set(token, claims);
    }

    const now = Date.now() / 1000;
    if (claims.exp <= now || claims.nbf > now + 300) {
      this.#verified.delete(token);
      return {
        ok: false,
        reason: 'expired',
        message: 'Access token has expired or is not yet valid.',
      };
    }
    return { ok: true, claims };
  }
}
