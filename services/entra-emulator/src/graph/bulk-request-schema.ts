import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { coreUserSchema, enterpriseUserSchema } from '../provisioning/scim-mapping.ts';
import type { GraphErrorDetail } from './graph-response.ts';

export const bulkRequestUrn = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

const nullableString = { type: ['string', 'null'] };

const userData = {
  type: 'object',
  required: ['schemas', 'externalId'],
  properties: {
    schemas: {
      type: 'array',
      items: { type: 'string' },
      allOf: [
        { contains: { const: coreUserSchema } },
        { contains: { const: enterpriseUserSchema } },
      ],
    },
    externalId: { type: 'string', minLength: 1 },
    userName: nullableString,
    displayName: nullableString,
    active: { type: ['boolean', 'null'] },
    name: { type: ['object', 'null'] },
    emails: { type: ['array', 'null'], items: { type: 'object' } },
    phoneNumbers: { type: ['array', 'null'], items: { type: 'object' } },
    addresses: { type: ['array', 'null'], items: { type: 'object' } },
    [enterpriseUserSchema]: {
      type: 'object',
      properties: { manager: { type: ['object', 'string', 'null'] } },
    },
  },
};

/** The bulkUpload body: a SCIM BulkRequest of user POSTs. The operation cap is checked apart. */
const bulkRequest = {
  type: 'object',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: { type: 'array', items: { type: 'string' }, contains: { const: bulkRequestUrn } },
    Operations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['method', 'path', 'data'],
        properties: {
          method: { const: 'POST' },
          path: { const: '/Users' },
          bulkId: { type: ['string', 'null'] },
          data: userData,
        },
      },
    },
    failOnErrors: { type: ['integer', 'null'] },
  },
};

const ajv = new Ajv2020({ allErrors: false, strict: false });
const validateBulkRequest = ajv.compile(bulkRequest);

export interface BulkRequestBody {
  schemas: string[];
  Operations: { method: 'POST'; path: '/Users'; bulkId?: string; data: Record<string, unknown> }[];
  failOnErrors?: number | null;
}

/**
 * Validates a parsed body with one compiled validator, then the rule JSON Schema cannot express:
 * every extension namespace present in `data` must be listed in `data.schemas`. Returns the
 * problems, or an empty list.
 */
export function checkBulkRequest(
  body: unknown,
  maxOperations: number,
): {
  problems: GraphErrorDetail[];
  tooMany: boolean;
} {
  if (!validateBulkRequest(body)) {
    return { problems: describe(validateBulkRequest.errors), tooMany: false };
  }
  const request = body as unknown as BulkRequestBody;
  if (request.Operations.length > maxOperations) return { problems: [], tooMany: true };

  const problems: GraphErrorDetail[] = [];
  request.Operations.forEach((operation, index) => {
    const data = operation.data;
    for (const key in data) {
      if (key.startsWith('urn:') && !(data.schemas as string[]).includes(key)) {
        problems.push({
          code: 'InvalidSchema',
          message: `extension namespace '${key}' is not listed in data.schemas`,
          target: `/Operations/${index}/data`,
        });
      }
    }
  });
  return { problems, tooMany: false };
}

function describe(errors: ErrorObject[] | null | undefined): GraphErrorDetail[] {
  return (errors ?? []).map((error) => ({
    code: 'InvalidValue',
    message: error.message ?? error.keyword,
    target: error.instancePath === '' ? '/' : error.instancePath,
  }));
}
