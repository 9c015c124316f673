import { hash } from 'node:crypto';
import type { ScimUser } from './types.ts';

/**
 * A user serialized once: the JSON that goes into the bulk request, as UTF-8 bytes, and its
 * fingerprint. Bytes rather than a string: a user waits in memory while its batch is built and
 * sent, and a string's characters are copied by every garbage collection it lives through,
 * where a buffer's bytes stay put outside the JavaScript heap.
 */
export interface SerializedUser {
  json: Buffer;
  /** SHA-256 of `json`, base64url. */
  digest: string;
}

/**
 * Serializes a user for upload and fingerprints exactly those bytes, so the uploader can skip a
 * worker whose payload is the one Entra last accepted. The mapping writes attributes in a fixed
 * order and stored payloads keep theirs, so equal content gives equal bytes; a change of the
 * mapping's order costs one upload per worker, never a missed change.
 */
export function serializeUser(user: ScimUser): SerializedUser {
  const json = Buffer.from(JSON.stringify(user));
  return { json, digest: hash('sha256', json, 'base64url') };
}

/** The fingerprint alone. */
export function scimDigest(user: ScimUser): string {
  return serializeUser(user).digest;
}
