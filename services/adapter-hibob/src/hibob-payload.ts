export interface HiBobPayload {
  companyId: number | string;
  type: string;
  triggeredBy?: string;
  triggeredAt: string;
  version?: string;
  data: { employeeId: string; email?: string; fieldUpdates?: (string | { fieldId?: string })[] };
}

/**
 * The v2 envelope. Unknown keys are tolerated; `data.employeeId` is required of employee events.
 */
export const hiBobPayloadSchema = {
  type: 'object',
  required: ['companyId', 'type', 'triggeredAt', 'data'],
  properties: {
    companyId: { type: ['integer', 'string'], pattern: '^[0-9]{1,20}$' },
    type: { type: 'string', pattern: '^[a-z]+(\\.[a-z]+)+$', maxLength: 64 },
    triggeredBy: { type: 'string', maxLength: 64 },
    triggeredAt: { type: 'string', format: 'date-time' },
    version: { type: 'string', maxLength: 8 },
    data: {
      type: 'object',
      required: ['employeeId'],
      properties: {
        employeeId: { type: 'string', pattern: '^[0-9A-Za-z_-]{1,64}$' },
        email: { type: 'string', maxLength: 320 },
        fieldUpdates: {
          type: 'array',
          maxItems: 500,
          items: {
            type: ['string', 'object'],
            maxLength: 200,
            properties: { fieldId: { type: 'string', maxLength: 200 } },
          },
        },
      },
    },
  },
} as const;
