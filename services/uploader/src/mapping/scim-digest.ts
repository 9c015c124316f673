import { hash } from 'node:crypto';
import type { ScimUser } from './types.ts';

/**
 * A stable fingerprint of a payload: SHA-256 over JSON with object keys sorted, base64url. Two
 * users with equal content get the same digest whatever order their keys were written in, so the
 * uploader can skip a record that has not changed since Entra last accepted it.
 */
export function scimDigest(user: ScimUser): string {
  return hash('sha256', JSON.stringify(sortedCopy(user)), 'base64url');
}

// Copying with sorted keys and letting the native JSON.stringify run is several times faster than
// serialising by hand or through a replacer. Integer-like keys still come first (JavaScript
// orders them so), which keeps the output the same for the same content: all a digest needs.
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);

  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) copy[key] = sortedCopy(record[key]);
  return copy;
}
