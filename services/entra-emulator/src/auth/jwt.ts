import { createSign, createVerify, constants, type KeyObject } from 'node:crypto';

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  x5t?: string;
  'x5t#S256'?: string;
  [key: string]: unknown;
}

export type JwtClaims = Record<string, unknown>;

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

export function signJwt(header: JwtHeader, claims: JwtClaims, key: KeyObject): string {
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** Splits a compact JWT without trusting it; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(claims) || typeof header.alg !== 'string') return undefined;
    return {
      header: header as JwtHeader,
      claims,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

/**
 * Checks a signature with the algorithms clients actually send: RS256 for our own tokens and
 * federated issuers, PS256 for MSAL's certificate assertions, ES256 for some workload issuers.
 */
export function verifySignature(jwt: DecodedJwt, key: KeyObject): boolean {
  const verifier = algorithms[jwt.header.alg];
  return verifier ? verifier(jwt, key) : false;
}

const algorithms: Record<string, (jwt: DecodedJwt, key: KeyObject) => boolean> = {
  RS256: (jwt, key) =>
    key.asymmetricKeyType === 'rsa' &&
    createVerify('RSA-SHA256').update(jwt.signingInput).verify(key, jwt.signature),
  PS256: (jwt, key) =>
    key.asymmetricKeyType === 'rsa' &&
    createVerify('RSA-SHA256').update(jwt.signingInput).verify(
      {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      },
      jwt.signature,
    ),
  ES256: (jwt, key) =>
    key.asymmetricKeyType === 'ec' &&
    createVerify('SHA256')
      .update(jwt.signingInput)
      .verify({ key, dsaEncoding: 'ieee-p1363' }, jwt.signature),
};

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
