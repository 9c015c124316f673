import type { Secret } from '@tributary/config';
import { verifyBodyHmac, type SignedRequest, type Verification } from '@tributary/webhook-kit';

/**
 * HiBob: `Bob-Signature` is the base64 HMAC-SHA512 of the raw body. The scheme has no timestamp,
 * so there is no freshness window: replays are caught by de-duplication only.
 */
export function verifyHiBobSignature(
  request: SignedRequest,
  secrets: readonly Secret[],
): Verification {
  return verifyBodyHmac(
    { header: 'bob-signature', algorithm: 'sha512', encoding: 'base64' },
    request,
    secrets,
  );
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
