import { workerEventSchema, workerEventTypes } from '@tributary/worker-event';

// The canonical schema's parts, reused so the two can never disagree.
const canonical = (workerEventSchema as unknown as { properties: Record<string, object> })
  .properties;

/**
 * `{ type, timestamp, data }` as Standard Webhooks recommends, where `type` is a canonical event
 * type and `data` is either a whole canonical worker (fat) or just its ids (thin, hydrated from
 * the connection's worker API).
 */
export const standardPayloadSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'timestamp', 'data'],
  properties: {
    type: { enum: workerEventTypes },
    timestamp: { type: 'string', format: 'date-time' },
    effectiveDate: { type: 'string', format: 'date' },
    changedFields: canonical.changedFields!,
    data: {
      anyOf: [
        canonical.worker!,
        {
          type: 'object',
          additionalProperties: false,
          required: ['employeeId'],
          properties: {
            employeeId: { type: 'string', minLength: 1, maxLength: 64 },
            sourceWorkerId: { type: 'string', minLength: 1, maxLength: 256 },
          },
        },
      ],
    },
  },
} as const;
