import { employeeTypes, employmentStatuses, workerEventTypes } from './types.ts';

const text = { type: 'string', minLength: 1, maxLength: 1024 } as const;
const id = { type: 'string', minLength: 1, maxLength: 256 } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const day = { type: 'string', format: 'date' } as const;
const bcp47 = { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' } as const;
const country = { type: 'string', pattern: '^[A-Z]{2}$' } as const;

/** Closed objects: an unknown key is a producer bug worth hearing about, not data to carry. */
function record(properties: Record<string, unknown>, required: string[] = []): object {
  return { type: 'object', additionalProperties: false, required, properties };
}

const personName = record({
  givenName: text,
  familyName: text,
  middleName: text,
  preferredGivenName: text,
  honorificPrefix: text,
  honorificSuffix: text,
  displayName: text,
  formatted: text,
});

const email = record(
  {
    value: { type: 'string', format: 'email', maxLength: 320 },
    type: { enum: ['work', 'personal', 'other'] },
    primary: { type: 'boolean' },
  },
  ['value', 'type'],
);

const phone = record(
  {
    value: { type: 'string', pattern: '^\\+?[0-9 ()./x-]{3,40}$' },
    type: { enum: ['work', 'mobile', 'home', 'fax', 'other'] },
    primary: { type: 'boolean' },
  },
  ['value', 'type'],
);

const address = record(
  {
    type: { enum: ['work', 'home', 'other'] },
    streetAddress: text,
    locality: text,
    region: text,
    postalCode: { type: 'string', minLength: 1, maxLength: 32 },
    country,
    formatted: text,
    primary: { type: 'boolean' },
  },
  ['type'],
);

const job = record({
  title: text,
  department: text,
  departmentId: id,
  division: text,
  costCenter: text,
  organization: text,
  location: record({ id, name: text, countryCode: country }),
  jobCode: id,
  employeeType: { enum: employeeTypes },
  employmentType: { enum: ['full_time', 'part_time', 'per_diem', 'seasonal', 'other'] },
  sourceWorkerType: text,
});

const employment = record(
  {
    status: { enum: employmentStatuses },
    active: { type: 'boolean' },
    hireDate: day,
    originalHireDate: day,
    startDate: day,
    terminationDate: day,
    terminationReason: text,
    isRehire: { type: 'boolean' },
  },
  ['status', 'active'],
);

const worker = record(
  {
    sourceWorkerId: id,
    employeeId: { type: 'string', minLength: 1, maxLength: 64 },
    userName: { type: 'string', minLength: 1, maxLength: 256 },
    name: personName,
    emails: { type: 'array', maxItems: 20, items: email },
    phones: { type: 'array', maxItems: 20, items: phone },
    addresses: { type: 'array', maxItems: 20, items: address },
    job,
    manager: record(
      { employeeId: { type: 'string', minLength: 1, maxLength: 64 }, sourceWorkerId: id },
      ['employeeId'],
    ),
    employment,
    locale: bcp47,
    preferredLanguage: bcp47,
    timezone: { type: 'string', pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$|^UTC$' },
    usageLocation: country,
    customAttributes: {
      type: 'object',
      maxProperties: 200,
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,127}$' },
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'], maxLength: 4096 },
    },
    sourceUpdatedAt: instant,
  },
  ['sourceWorkerId', 'employeeId', 'employment'],
);

/** The v1 contract, JSON Schema 2020-12. Documented in docs/worker-event-v1.md. */
export const workerEventSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:tributary:schema:worker-event:v1',
  title: 'Tributary worker event v1',
  ...record(
    {
      specVersion: { const: '1' },
      eventId: { type: 'string', format: 'uuid' },
      idempotencyKey: { type: 'string', minLength: 1, maxLength: 512 },
      eventType: { enum: workerEventTypes },
      occurredAt: instant,
      receivedAt: instant,
      effectiveDate: day,
      source: record(
        {
          system: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
          connectionId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
          tenantId: id,
          rawEventType: text,
          deliveryId: id,
          payloadKind: { enum: ['fat', 'thin'] },
          hydratedAt: instant,
        },
        ['system', 'connectionId', 'tenantId', 'rawEventType', 'payloadKind'],
      ),
      changedFields: {
        type: 'array',
        maxItems: 500,
        uniqueItems: true,
        items: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,200}$' },
      },
      worker,
    },
    [
      'specVersion',
      'eventId',
      'idempotencyKey',
      'eventType',
      'occurredAt',
      'receivedAt',
      'source',
      'worker',
    ],
  ),
} as const;
