/** Event-based (`employee.*`): ids and the names of changed fields only. */
export interface EventBasedPayload {
  type: 'employee.created' | 'employee.updated' | 'employee.deleted';
  timestamp?: string;
  data: { companyId?: string | number; employeeId: string | number; changedFields?: string[] };
}

/** Field-based (`employee_with_fields.*`, legacy): the configured fields' values per employee. */
export interface FieldBasedPayload {
  employees: {
    id: string | number;
    action?: string;
    timestamp?: string;
    changedFields?: string[];
    fields?: Record<string, { value?: unknown } | string | null>;
  }[];
  fields?: Record<string, string>;
}

export type BambooHrPayload = EventBasedPayload | FieldBasedPayload;

export function isFieldBased(payload: BambooHrPayload): payload is FieldBasedPayload {
  return 'employees' in payload;
}

// `pattern` applies to strings only, `minimum` to numbers only.
const id = { type: ['string', 'integer'], pattern: '^[0-9A-Za-z_-]{1,64}$', minimum: 0 } as const;
const fieldNames = {
  type: 'array',
  maxItems: 400,
  items: { type: 'string', maxLength: 200 },
} as const;

/**
 * Both structures, told apart by `employees`. Form-encoded bodies carry every value as a string,
 * so ids accept strings and integers alike. Unknown top-level keys are tolerated: vendors add.
 */
export const bambooHrPayloadSchema = {
  type: 'object',
  if: { required: ['employees'], properties: { employees: {} } },
  then: {
    type: 'object',
    required: ['employees'],
    properties: {
      employees: {
        type: 'array',
        minItems: 1,
        maxItems: 500,
        items: {
          type: 'object',
          required: ['id'],
          properties: {
            id,
            action: { type: 'string', maxLength: 64 },
            timestamp: { type: 'string', maxLength: 64 },
            changedFields: fieldNames,
            fields: {
              type: 'object',
              maxProperties: 400,
              additionalProperties: { type: ['object', 'string', 'null'] },
            },
          },
        },
      },
      fields: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  else: {
    type: 'object',
    required: ['type', 'data'],
    properties: {
      type: { enum: ['employee.created', 'employee.updated', 'employee.deleted'] },
      timestamp: { type: 'string', maxLength: 64 },
      data: {
        type: 'object',
        required: ['employeeId'],
        properties: { companyId: id, employeeId: id, changedFields: fieldNames },
      },
    },
  },
} as const;
