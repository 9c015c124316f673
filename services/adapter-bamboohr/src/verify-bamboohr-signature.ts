import type { Secret } from '@tributary/config';
import {
  decodeSignature,
  digestsEqual,
  hmac,
  parseSignedTimestamp,
  type SignedRequest,
  type Verification,
} from '@tributary/webhook-kit';

/**
 * BambooHR: `X-BambooHR-Signature` is the hex HMAC-SHA256 of the raw body immediately followed by
 * the `X-BambooHR-Timestamp` header value, no separator. The timestamp is signed verbatim and read
 * as Unix seconds or ISO 8601, since examples of both exist.
 */
export function verifyBambooHrSignature(
  request: SignedRequest,
  secrets: readonly Secret[],
): Verification {
  const signature = single(request.headers['x-bamboohr-signature']);
  const timestamp = single(request.headers['x-bamboohr-timestamp']);
  if (!signature || !timestamp) return { ok: false, reason: 'signature_missing' };
  const signedAt = parseSignedTimestamp(timestamp);
  if (!signedAt) return { ok: false, reason: 'timestamp_invalid' };
  const presented = decodeSignature(signature.trim(), 'hex');
  if (!presented) return { ok: false, reason: 'signature_invalid' };

  for (const secret of secrets) {
    const expected = hmac('sha256', secret.reveal(), [request.rawBody, timestamp]);
    if (digestsEqual(expected, presented)) return { ok: true, signedAt };
  }
  return { ok: false, reason: 'signature_invalid' };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
