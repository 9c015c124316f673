const pemSource = {
  oneOf: [
    {
      type: 'object',
      required: ['pem'],
      additionalProperties: false,
      properties: { pem: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      required: ['file'],
      additionalProperties: false,
      properties: { file: { type: 'string', minLength: 1 } },
    },
  ],
};

const secretSource = {
  oneOf: [
    {
      type: 'object',
      required: ['env'],
      additionalProperties: false,
      properties: {
        env: { type: 'string', minLength: 1 },
        localDefault: { type: 'string', minLength: 1 },
      },
    },
    {
      type: 'object',
      required: ['file'],
      additionalProperties: false,
      properties: { file: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      required: ['value'],
      additionalProperties: false,
      properties: { value: { type: 'string', minLength: 1 } },
    },
  ],
};

const stringList = { type: 'array', items: { type: 'string', minLength: 1 }, default: [] };

const app = {
  type: 'object',
  required: ['appId', 'displayName', 'servicePrincipalId'],
  additionalProperties: false,
  properties: {
    appId: { type: 'string', minLength: 1 },
    displayName: { type: 'string', minLength: 1 },
    servicePrincipalId: { type: 'string', minLength: 1 },
    clientSecrets: { type: 'array', items: secretSource, default: [] },
    certificates: { type: 'array', items: pemSource, default: [] },
    federatedCredentials: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        required: ['issuer', 'subject', 'publicKeys'],
        additionalProperties: false,
        properties: {
          issuer: { type: 'string', minLength: 1 },
          subject: { type: 'string', minLength: 1 },
          audiences: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            minItems: 1,
            default: ['api://AzureADTokenExchange'],
          },
          publicKeys: { type: 'array', items: pemSource, minItems: 1 },
        },
      },
    },
    permissions: stringList,
  },
};

const job = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    state: { enum: ['NotRun', 'Active', 'Paused', 'Quarantine'], default: 'Active' },
    flowNullAttributes: stringList,
    retryPendingReferences: { type: 'boolean', default: false },
    attributeMappings: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        required: ['source', 'target'],
        additionalProperties: false,
        properties: {
          source: { type: 'string', minLength: 1 },
          target: { type: 'string', minLength: 1 },
        },
      },
    },
  },
};

const servicePrincipal = {
  type: 'object',
  required: ['id', 'appId', 'displayName'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    appId: { type: 'string', minLength: 1 },
    displayName: { type: 'string', minLength: 1 },
    ownerAppIds: stringList,
    jobs: { type: 'array', items: job, default: [] },
  },
};

const seedUser = {
  type: 'object',
  required: ['userPrincipalName'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    employeeId: { type: 'string', minLength: 1 },
    userPrincipalName: { type: 'string', minLength: 1 },
    displayName: { type: 'string' },
    accountEnabled: { type: 'boolean', default: true },
  },
};

const tenant = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    defaultDomain: { type: 'string', minLength: 1, default: 'tributary.test' },
    dailyQuota: { type: 'integer', minimum: 1 },
    apps: { type: 'array', items: app, default: [] },
    servicePrincipals: { type: 'array', items: servicePrincipal, default: [] },
    users: { type: 'array', items: seedUser, default: [] },
  },
};

/** JSON Schema of the emulator's configuration file; defaults are filled in on validation. */
export const emulatorConfigSchema = {
  type: 'object',
  required: ['tenants'],
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 0 },
        tlsDir: { type: 'string', minLength: 1 },
        stateFile: { type: 'string', minLength: 1 },
      },
    },
    tokens: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: { lifetimeSeconds: { type: 'integer', minimum: 1, default: 3600 } },
    },
    tenants: { type: 'array', items: tenant, minItems: 1 },
    throttling: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', default: true },
        windowSeconds: { type: 'number', exclusiveMinimum: 0, default: 5 },
        maxCallsPerWindow: { type: 'integer', minimum: 1, default: 40 },
        dailyQuota: { type: 'integer', minimum: 1, default: 2000 },
        retryAfter: { type: 'boolean', default: true },
      },
    },
    faults: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        seed: { type: 'integer' },
        serverErrorRate: { type: 'number', minimum: 0, maximum: 1, default: 0 },
        serverErrorRetryAfterSeconds: { type: 'integer', minimum: 0 },
        latencyMs: { type: 'integer', minimum: 0, default: 0 },
        latencyJitterMs: { type: 'integer', minimum: 0, default: 0 },
        dropConnectionRate: { type: 'number', minimum: 0, maximum: 1, default: 0 },
        routes: {
          type: 'array',
          items: { enum: ['bulkUpload', 'provisioningLogs', 'jobs', 'token'] },
          default: ['bulkUpload'],
        },
      },
    },
    bulkUpload: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        maxOperations: { type: 'integer', minimum: 1, default: 50 },
        tooManyOperationsMessage: {
          type: 'string',
          default: 'Invalid Data Format. The request exceeds the maximum of 50 operations.',
        },
        maxBodyBytes: { type: 'integer', minimum: 1024, default: 5_242_880 },
      },
    },
    cycles: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: { intervalMs: { type: 'integer', minimum: 0, default: 2000 } },
    },
    provisioningLogs: {
      type: 'object',
      default: {},
      additionalProperties: false,
      properties: {
        visibilityDelayMs: { type: 'integer', minimum: 0, default: 0 },
        retainEntries: { type: 'integer', minimum: 1, default: 100_000 },
        defaultPageSize: { type: 'integer', minimum: 1, default: 100 },
        maxPageSize: { type: 'integer', minimum: 1, default: 1000 },
      },
    },
  },
} as const;
