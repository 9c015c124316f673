import type { Secret } from '@tributary/config';
import type { SignedRequest, Verification } from '../source-adapter.ts';
import { decodeSignature, digestsEqual, hmac, type HmacAlgorithm } from './constant-time.ts';

export interface BodyHmacScheme {
  /** The header carrying the signature, lower case. */
  header: string;
  algorithm: HmacAlgorithm;
  encoding: 'hex' | 'base64' | 'base64url';
}

/**
 * The simplest vendor scheme: one header holding the HMAC of the raw body, nothing else signed.
 * Every active secret is tried, so a secret rotates without refusing deliveries signed with the
 * old one. Such schemes carry no timestamp: replays are caught by de-duplication only.
 */
export function verifyBodyHmac(
  scheme: BodyHmacScheme,
  request: SignedRequest,
  secrets: readonly Secret[],
): Verification {
  const header = request.headers[scheme.header];
  const signature = Array.isArray(header) ? header[0] : header;
  if (!signature) return { ok: false, reason: 'signature_missing' };
  const presented = decodeSignature(signature.trim(), scheme.encoding);
  if (!presented) return { ok: false, reason: 'signature_invalid' };
  for (const secret of secrets) {
    const expected = hmac(scheme.algorithm, secret.reveal(), [request.rawBody]);
    if (digestsEqual(expected, presented)) return { ok: true };
  }
  return { ok: false, reason: 'signature_invalid' };
}
