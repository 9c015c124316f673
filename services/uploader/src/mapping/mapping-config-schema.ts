import { coreSchemaUrn, enterpriseSchemaUrn } from './scim-targets.ts';

// Self-contained (no `$ref`), so the uploader's targets-file schema can embed it anywhere.

// Union types spelled with anyOf: the shared configuration ajv runs in strict mode without
// allowUnionTypes.
const scalar = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };

const sourceProperties = {
  from: { type: 'string', minLength: 1 },
  const: { anyOf: [...scalar.anyOf, { type: 'object' }, { type: 'array' }] },
  template: { type: 'string', minLength: 1 },
};

const ruleSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    ...sourceProperties,
    fallback: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      properties: sourceProperties,
    },
    omit: { const: true },
    case: { enum: ['lower', 'upper', 'title'] },
    dateFormat: { enum: ['date', 'datetime', 'yyyyMMdd'] },
    trim: { type: 'boolean' },
    default: scalar,
    required: { type: 'boolean' },
  },
};

/** JSON Schema (2020-12) of `MappingConfig`. */
export const mappingConfigSchema: object = {
  type: 'object',
  additionalProperties: false,
  properties: {
    extensionNamespace: {
      type: 'string',
      pattern: '^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\\S*[^\\s:]$',
      not: { enum: [coreSchemaUrn, enterpriseSchemaUrn] },
    },
    attributes: {
      type: 'object',
      propertyNames: { minLength: 1 },
      additionalProperties: ruleSchema,
    },
    useDefaults: { type: 'boolean', default: true },
  },
};
