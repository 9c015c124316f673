/**
 * Keys whose values are personal data or secrets. Services log ids, counts and codes, never
 * payloads; this list is the safety net for the day someone logs an object they should not have.
 * Each key is censored at the top level and one or two levels down, which is where pino's
 * wildcard paths reach without slowing every log call.
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

export const redactedPaths: string[] = sensitiveKeys.flatMap((key) => [
  key,
  `*.${key}`,
  `*.*.${key}`,
]);

export const censor = '[redacted]';
