import type { Secret } from '@tributary/config';
import {
  decodeSignature,
  digestsEqual,
  hmac,
  type SignedRequest,
  type Verification,
} from '@tributary/webhook-kit';

/**
 * HiBob: `Bob-Signature` is the base64 HMAC-SHA512 of the raw body. The scheme has no timestamp,
 * so there is no freshness window: replays are caught by de-duplication only.
 */
export function verifyHiBobSignature(
  request: SignedRequest,
  secrets: readonly Secret[],
): Verification {
  const header = request.headers['bob-signature'];
  const signature = Array.isArray(header) ? header[0] : header;
  if (!signature) return { ok: false, reason: 'signature_missing' };
  const presented = decodeSignature(signature.trim(), 'base64');
  if (!presented) return { ok: false, reason: 'signature_invalid' };
  for (const secret of secrets) {
    if (digestsEqual(hmac('sha512', secret.reveal(), [request.rawBody]), presented))
      return { ok: true };
  }
  return { ok: false, reason: 'signature_invalid' };
}

/**
 * Bob checks a new endpoint by posting `"Ping test"`, or `{"text":"Ping test"}` when that fails.
 * Whether it signs the ping is not documented, so a ping is answered 2xx either way; nothing is
 * produced for it.
 */
export function isHiBobPing(rawBody: Buffer): boolean {
  if (rawBody.length > 64) return false;
  const text = rawBody.toString('utf8').trim();
  return (
    text === 'Ping test' ||
    text === '"Ping test"' ||
    /^\{\s*"text"\s*:\s*"Ping test"\s*\}$/.test(text)
  );
}
