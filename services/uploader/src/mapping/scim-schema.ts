import type { JsonType } from './canonical-paths.ts';
import { coreSchemaUrn, enterpriseSchemaUrn, scimAttributeName } from './scim-targets.ts';

// JSON Schemas for what Tributary sends, stricter than SCIM itself in one way on purpose: no
// attribute may be null or an empty string, and no object or array may be empty, because with
// "flow null values" on in Entra such a value clears data instead of leaving it alone.

const text = { type: 'string', minLength: 1 };
const bool = { type: 'boolean' };

function complex(properties: Record<string, object>, required: string[] = []): object {
  return { type: 'object', additionalProperties: false, minProperties: 1, required, properties };
}

/** RFC 7643 section 2.4: at most one element of a multi-valued attribute is primary. */
function multiValued(item: object): object {
  return {
    type: 'array',
    minItems: 1,
    items: item,
    contains: { type: 'object', required: ['primary'], properties: { primary: { const: true } } },
    minContains: 0,
    maxContains: 1,
  };
}

function valued(value: object, types?: string[]): object {
  return complex({ value, display: text, type: types ? { enum: types } : text, primary: bool }, [
    'value',
  ]);
}

/** RFC 7643 section 4.1, minus the read-only `id`, `meta` and `groups` and the write-only `password`. */
const coreProperties: Record<string, object> = {
  externalId: text,
  userName: text,
  name: complex({
    formatted: text,
    familyName: text,
    givenName: text,
    middleName: text,
    honorificPrefix: text,
    honorificSuffix: text,
  }),
  displayName: text,
  nickName: text,
  profileUrl: { type: 'string', format: 'uri' },
  title: text,
  userType: text,
  preferredLanguage: text,
  locale: { type: 'string', pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$' },
  timezone: { type: 'string', pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$|^UTC$' },
  active: bool,
  emails: multiValued(valued({ type: 'string', format: 'email' }, ['work', 'home', 'other'])),
  phoneNumbers: multiValued(valued(text, ['work', 'home', 'mobile', 'fax', 'pager', 'other'])),
  ims: multiValued(valued(text)),
  photos: multiValued(valued({ type: 'string', format: 'uri' }, ['photo', 'thumbnail'])),
  addresses: multiValued(
    complex({
      formatted: text,
      streetAddress: text,
      locality: text,
      region: text,
      postalCode: text,
      country: text,
      type: { enum: ['work', 'home', 'other'] },
      primary: bool,
    }),
  ),
  entitlements: multiValued(valued(text)),
  roles: multiValued(valued(text)),
  x509Certificates: multiValued(valued(text)),
};

/** RFC 7643 section 4.3. */
const enterpriseSchema = complex({
  employeeNumber: text,
  costCenter: text,
  organization: text,
  division: text,
  department: text,
  manager: complex({ value: text, displayName: text }, ['value']),
});

export interface ExtensionShape {
  namespace: string;
  /** Explicitly mapped attributes and the JSON types their values can take. */
  attributes: Record<string, JsonType[]>;
  /** Whether canonical custom attributes pass through under their own names. */
  passThrough: boolean;
}

/** The full payload schema of one connection, compiled once when its mapping is compiled. */
export function scimUserSchema(extension: ExtensionShape | undefined): object {
  const namespaces = [coreSchemaUrn, enterpriseSchemaUrn];
  const properties: Record<string, object> = { ...coreProperties };
  properties[enterpriseSchemaUrn] = enterpriseSchema;
  const rules: object[] = [];

  if (extension) {
    namespaces.push(extension.namespace);
    properties[extension.namespace] = extensionSchema(extension);
    // The custom namespace is listed exactly when its object is present.
    const listed = { type: 'array', contains: { const: extension.namespace } };
    rules.push({
      if: { properties: { [extension.namespace]: true }, required: [extension.namespace] },
      then: { properties: { schemas: listed } },
      else: { properties: { schemas: { not: listed } } },
    });
  }

  // Entra documents the core and enterprise URNs as required in every `data.schemas`.
  properties.schemas = {
    type: 'array',
    uniqueItems: true,
    items: { enum: namespaces },
    allOf: [{ contains: { const: coreSchemaUrn } }, { contains: { const: enterpriseSchemaUrn } }],
  };

  return {
    type: 'object',
    additionalProperties: false,
    required: ['schemas', 'externalId'],
    properties,
    ...(rules.length > 0 ? { allOf: rules } : {}),
  };
}

function extensionSchema(extension: ExtensionShape): object {
  const properties: Record<string, object> = {};
  for (const [name, types] of Object.entries(extension.attributes)) properties[name] = typed(types);
  return {
    type: 'object',
    minProperties: 1,
    propertyNames: { pattern: scimAttributeName.source },
    properties,
    additionalProperties: extension.passThrough ? typed(['string', 'number', 'boolean']) : false,
  };
}

function typed(types: JsonType[]): object {
  if (types.length === 1 && types[0] === 'string') return text;
  const schema: Record<string, unknown> = { type: types.length === 1 ? types[0] : types };
  if (types.includes('string')) schema.minLength = 1;
  if (types.includes('array')) schema.minItems = 1;
  if (types.includes('object')) schema.minProperties = 1;
  return schema;
}
