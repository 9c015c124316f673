import { secretRefSchema } from '@tributary/config';

/** The connections file: `{ connections: [...] }`, YAML or JSON. */
export const connectionsFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['connections'],
  properties: {
    connections: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'system', 'tenantId', 'secrets'],
        properties: {
          // Same pattern as the canonical event's `source.connectionId`.
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
          system: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
          tenantId: { type: 'string', minLength: 1, maxLength: 256 },
          secrets: { type: 'array', minItems: 1, maxItems: 8, items: secretRefSchema },
          hydration: {
            type: 'object',
            additionalProperties: false,
            required: ['baseUrl'],
            properties: {
              baseUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
              credentials: { type: 'object', additionalProperties: secretRefSchema },
              mode: { enum: ['inline', 'deferred'] },
              delayMs: { type: 'integer', minimum: 0, maximum: 600_000 },
              inlineBudgetMs: { type: 'integer', minimum: 100, maximum: 30_000 },
              timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000 },
              maxAttempts: { type: 'integer', minimum: 1, maximum: 20 },
              requestsPerSecond: { type: 'number', exclusiveMinimum: 0, maximum: 10_000 },
            },
          },
          options: { type: 'object' },
        },
      },
    },
  },
} as const;
