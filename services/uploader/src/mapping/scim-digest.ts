import { createHash } from 'node:crypto';
import type { ScimUser } from './types.ts';

/**
 * A stable fingerprint of a payload: SHA-256 over JSON with object keys sorted, base64url. Two
 * users with equal content get the same digest whatever order their keys were written in, so the
 * uploader can skip a record that has not changed since Entra last accepted it.
 */
export function scimDigest(user: ScimUser): string {
  return createHash('sha256').update(canonicalJson(user)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) out += ',';
      out += canonicalJson(value[index]);
    }
    return `${out}]`;
  }

  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const child = record[key];
    // As in JSON.stringify, an undefined property does not exist.
    if (child === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(child)}`;
    first = false;
  }
  return `${out}}`;
}
