/**
 * Keys whose values are personal data or secrets. Services log ids, counts and codes, never
 * payloads; this list is the safety net for the day someone logs an object they should not have.
 * Each key is censored at the top level and one or two levels down.
 */
const sensitiveKeys = [
  // People.
  'name',
  'givenName',
  'familyName',
  'middleName',
  'displayName',
  'formatted',
  'nickName',
  'preferredGivenName',
  'userName',
  'email',
  'emails',
  'phone',
  'phones',
  'phoneNumbers',
  'address',
  'addresses',
  'worker',
  'previous',
  'data',
  'body',
  'payload',
  'rawBody',
  // Secrets.
  'authorization',
  'Authorization',
  'password',
  'secret',
  'secrets',
  'clientSecret',
  'token',
  'accessToken',
  'apiKey',
] as const;

export const censor = '[redacted]';

const sensitive = new Set<string>(sensitiveKeys);
const deepest = 2;

/**
 * Returns `value` with every sensitive key censored down to two levels below the top, copying
 * only the objects on the way to a censored key and never touching the caller's. A log line
 * without personal data (the usual case) costs one pass over its few keys, where pino's path
 * redaction costs a copy of the whole line for every one of its wildcard paths.
 */
export function censorPersonalData<T>(value: T): T {
  return censorObject(value, 0) as T;
}

function censorObject(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const source = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(source)) {
    const child = source[key];
    let replaced = child;
    if (sensitive.has(key)) replaced = censor;
    else if (depth < deepest) replaced = censorObject(child, depth + 1);
    if (replaced !== child) {
      copy ??= (Array.isArray(source) ? [...source] : { ...source }) as Record<string, unknown>;
      copy[key] = replaced;
    }
  }
  return copy ?? value;
}
