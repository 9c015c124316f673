import type { Secret } from '@tributary/config';
import { verifyBodyHmac, type SignedRequest, type Verification } from '@tributary/webhook-kit';

/**
 * Merge: `X-Merge-Webhook-Signature` is the base64url HMAC-SHA256 of the raw body with the
 * organisation's signature key. Padded and unpadded forms are both accepted. No timestamp.
 */
export function verifyMergeSignature(
  request: SignedRequest,
  secrets: readonly Secret[],
): Verification {
  return verifyBodyHmac(
    { header: 'x-merge-webhook-signature', algorithm: 'sha256', encoding: 'base64url' },
    request,
    secrets,
  );
}
