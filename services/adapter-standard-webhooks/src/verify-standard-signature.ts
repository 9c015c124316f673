import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Secret } from '@tributary/config';
import {
  decodeSignature,
  digestsEqual,
  hmac,
  type SignedRequest,
  type Verification,
} from '@tributary/webhook-kit';

/** Header names: the Standard Webhooks ones, and Finch's, which follow the same scheme. */
const headerSets = [
  { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
  { id: 'finch-event-id', timestamp: 'finch-timestamp', signature: 'finch-signature' },
] as const;

/** Decoded once per secret rather than once per delivery. */
const signingKeys = new WeakMap<Secret, KeyObject>();

/** The HMAC key of a `whsec_`-prefixed secret: the base64-decoded part after the prefix. */
export function signingKey(secret: Secret): KeyObject {
  let key = signingKeys.get(secret);
  if (key === undefined) {
    const value = secret.reveal();
    const text = value.startsWith('whsec_') ? value.slice('whsec_'.length) : value;
    key = createSecretKey(Buffer.from(text, 'base64'));
    signingKeys.set(secret, key);
  }
  return key;
}

/**
 * Standard Webhooks v1: `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`. The header may
 * list several signatures separated by spaces (the sender rotating its key); one match with any of
 * our active secrets suffices.
 */
export function verifyStandardSignature(
  request: SignedRequest,
  secrets: readonly Secret[],
): Verification {
  const names =
    headerSets.find((set) => request.headers[set.signature] !== undefined) ?? headerSets[0];
  const id = single(request.headers[names.id]);
  const timestamp = single(request.headers[names.timestamp]);
  const signatures = single(request.headers[names.signature]);
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'signature_missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'timestamp_invalid' };
  if (id.length > 256) return { ok: false, reason: 'signature_invalid' };

  const presented = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .slice(0, 16)
    .map((entry) => decodeSignature(entry.slice(3), 'base64'))
    .filter((digest): digest is Buffer => digest !== undefined);
  if (presented.length === 0) return { ok: false, reason: 'signature_invalid' };

  for (const secret of secrets) {
    const expected = hmac('sha256', signingKey(secret), [`${id}.${timestamp}.`, request.rawBody]);
    if (presented.some((digest) => digestsEqual(expected, digest))) {
      return { ok: true, deliveryId: id, signedAt: new Date(Number(timestamp) * 1000) };
    }
  }
  return { ok: false, reason: 'signature_invalid' };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
