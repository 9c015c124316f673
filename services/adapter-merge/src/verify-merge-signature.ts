import type { Secret } from '@tributary/config';
import {
  decodeSignature,
  digestsEqual,
  hmac,
  type SignedRequest,
  type Verification,
} from '@tributary/webhook-kit';

/**
 * Merge: `X-Merge-Webhook-Signature` is the base64url HMAC-SHA256 of the raw body with the
 * organisation's signature key. Padded and unpadded forms are both accepted. No timestamp.
 */
export function verifyMergeSignature(
  request: SignedRequest,
  secrets: readonly Secret[],
): Verification {
  const header = request.headers['x-merge-webhook-signature'];
  const signature = Array.isArray(header) ? header[0] : header;
  if (!signature) return { ok: false, reason: 'signature_missing' };
  const presented = decodeSignature(signature.trim(), 'base64url');
  if (!presented) return { ok: false, reason: 'signature_invalid' };
  for (const secret of secrets) {
    if (digestsEqual(hmac('sha256', secret.reveal(), [request.rawBody]), presented))
      return { ok: true };
  }
  return { ok: false, reason: 'signature_invalid' };
}
