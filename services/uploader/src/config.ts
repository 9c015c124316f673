import { hostname } from 'node:os';
import {
  loadConfigFile,
  readEnv,
  resolveSecret,
  secretRefSchema,
  setting,
  type Secret,
  type SecretRef,
} from '@tributary/config';
import { TributaryError } from '@tributary/errors';
import type { CredentialConfig } from './auth/credentials.ts';
import { graphScopeFor } from './auth/graph-scope.ts';
import type { BatchSettings } from './delivery/job-uploader.ts';
import { mappingConfigSchema, type MappingConfig } from './mapping/index.ts';
import type { TenantLimits } from './pacing/tenant-pacer.ts';

/** Where the Azure Workload Identity webhook projects the federated token in a pod. */
const workloadTokenFile = '/var/run/secrets/azure/tokens/azure-identity-token';

export const envSpec = {
  kafkaBrokers: setting({ env: 'KAFKA_BROKERS', kind: 'list', default: ['127.0.0.1:9092'] }),
  replicationFactor: setting({
    env: 'KAFKA_REPLICATION_FACTOR',
    kind: 'integer',
    default: 1,
    min: 1,
    max: 7,
  }),
  /** Prefix of every topic name, for environments (or test runs) sharing a cluster. */
  topicNamespace: setting({ env: 'TOPIC_NAMESPACE', kind: 'string' }),
  targetsFile: setting({
    env: 'TARGETS_FILE',
    kind: 'string',
    default: 'services/uploader/config/local.yaml',
  }),
  groupId: setting({ env: 'CONSUMER_GROUP', kind: 'string', default: 'tributary-uploader' }),
  instanceId: setting({ env: 'INSTANCE_ID', kind: 'string', default: hostname() }),
  host: setting({ env: 'HOST', kind: 'string', default: '127.0.0.1' }),
  port: setting({ env: 'PORT', kind: 'integer', default: 8090, min: 0, max: 65535 }),
  /** Prometheus scrape endpoint, on HOST. */
  metricsPort: setting({ env: 'METRICS_PORT', kind: 'integer', default: 9465, min: 1, max: 65535 }),
  /** Partitions handled at once; their records share batches. */
  concurrency: setting({
    env: 'CONSUMER_CONCURRENCY',
    kind: 'integer',
    default: 12,
    min: 1,
    max: 256,
  }),
  /**
   * Records fetched and not yet uploaded or dead-lettered, across partitions: enough to keep every
   * job's requests full while earlier batches wait for Entra, and a bound on memory.
   */
  maxRecordsInFlight: setting({
    env: 'CONSUMER_MAX_RECORDS_IN_FLIGHT',
    kind: 'integer',
    default: 5_000,
    min: 1,
  }),
  /** How often each job's provisioning logs are read back; 0 turns the read-back off. */
  outcomesPollMs: setting({
    env: 'OUTCOMES_POLL_MS',
    kind: 'integer',
    default: 60_000,
    min: 0,
  }),
  /** How far back each read looks: longer than Entra's delay in writing its log entries. */
  outcomesLookbackMs: setting({
    env: 'OUTCOMES_LOOKBACK_MS',
    kind: 'integer',
    default: 30 * 60_000,
    min: 60_000,
  }),
  shutdownDeadlineMs: setting({
    env: 'SHUTDOWN_DEADLINE_MS',
    kind: 'integer',
    default: 20_000,
    min: 1_000,
  }),
  logLevel: setting({ env: 'LOG_LEVEL', kind: 'string', default: 'info' }),
};

const guid = { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' } as const;
const httpsUrl = { type: 'string', pattern: '^https://[^\\s/]+(:[0-9]+)?/?$' } as const;

const credentialSchema = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'clientId', 'secret'],
      properties: { kind: { const: 'clientSecret' }, clientId: guid, secret: secretRefSchema },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'clientId', 'certificatePath'],
      properties: {
        kind: { const: 'clientCertificate' },
        clientId: guid,
        certificatePath: { type: 'string', minLength: 1 },
        sendCertificateChain: { type: 'boolean' },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'clientId'],
      properties: {
        kind: { const: 'workloadIdentity' },
        clientId: guid,
        // Defaults to AZURE_FEDERATED_TOKEN_FILE, which the workload identity webhook sets.
        tokenFilePath: { type: 'string', minLength: 1 },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: { kind: { const: 'managedIdentity' }, clientId: guid },
    },
  ],
} as const;

export const targetsFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tenants', 'jobs'],
  properties: {
    tenants: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['tenantId', 'credential'],
        properties: {
          tenantId: guid,
          authorityHost: { ...httpsUrl, default: 'https://login.microsoftonline.com' },
          graphBaseUrl: { ...httpsUrl, default: 'https://graph.microsoft.com' },
          /** The token scope; by default the `/.default` scope of the Graph cloud named above. */
          tokenScope: { type: 'string', pattern: '^[a-z][a-z0-9+.-]*://\\S+/\\.default$' },
          apiVersion: { enum: ['v1.0', 'beta'], default: 'v1.0' },
          /** A private certificate authority to trust for this tenant's hosts (PEM). */
          caFile: { type: 'string', minLength: 1 },
          credential: credentialSchema,
          limits: {
            type: 'object',
            additionalProperties: false,
            default: {},
            properties: {
              callsPerWindow: { type: 'integer', minimum: 1, default: 40 },
              windowMs: { type: 'integer', minimum: 100, default: 5_000 },
              dailyQuota: { type: 'integer', minimum: 1, default: 2_000 },
              lowBudgetFraction: { type: 'number', minimum: 0, maximum: 1, default: 0.1 },
            },
          },
        },
      },
    },
    jobs: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[a-z0-9][a-z0-9-]{0,62}$' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['tenant', 'servicePrincipalId', 'jobId', 'connections'],
        properties: {
          tenant: { type: 'string' },
          servicePrincipalId: guid,
          jobId: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,200}$' },
          apiVersion: { enum: ['v1.0', 'beta'] },
          connections: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
          },
          batch: {
            type: 'object',
            additionalProperties: false,
            default: {},
            properties: {
              maxOperations: { type: 'integer', minimum: 1, maximum: 50, default: 50 },
              lingerMs: { type: 'integer', minimum: 0, default: 1_000 },
              lowBudgetLingerMs: { type: 'integer', minimum: 0, default: 60_000 },
              maxConcurrentRequests: { type: 'integer', minimum: 1, maximum: 16, default: 4 },
            },
          },
          mapping: mappingConfigSchema,
        },
      },
    },
  },
} as const;

interface TargetsFile {
  tenants: Record<
    string,
    {
      tenantId: string;
      authorityHost: string;
      graphBaseUrl: string;
      tokenScope?: string;
      apiVersion: 'v1.0' | 'beta';
      caFile?: string;
      credential:
        | { kind: 'clientSecret'; clientId: string; secret: SecretRef }
        | { kind: 'workloadIdentity'; clientId: string; tokenFilePath?: string }
        | Exclude<CredentialConfig, { kind: 'clientSecret' | 'workloadIdentity' }>;
      limits: TenantLimits;
    }
  >;
  jobs: Record<
    string,
    {
      tenant: string;
      servicePrincipalId: string;
      jobId: string;
      apiVersion?: 'v1.0' | 'beta';
      connections: string[];
      batch: BatchSettings;
      mapping?: MappingConfig;
    }
  >;
}

export interface TenantConfig {
  key: string;
  tenantId: string;
  authorityHost: string;
  graphBaseUrl: string;
  tokenScope: string;
  apiVersion: 'v1.0' | 'beta';
  caFile: string | undefined;
  credential: CredentialConfig;
  limits: TenantLimits;
}

export interface JobConfig {
  key: string;
  tenant: TenantConfig;
  servicePrincipalId: string;
  jobId: string;
  apiVersion: 'v1.0' | 'beta';
  connections: string[];
  batch: BatchSettings;
  mapping: MappingConfig | undefined;
}

export type UploaderEnv = ReturnType<typeof readEnv<typeof envSpec>>;

export interface UploaderConfig {
  env: UploaderEnv;
  tenants: TenantConfig[];
  jobs: JobConfig[];
}

/** Reads the environment and the targets file; every problem names its variable or key path. */
export function loadUploaderConfig(processEnv: NodeJS.ProcessEnv = process.env): UploaderConfig {
  const env = readEnv(envSpec, processEnv);
  const file = loadConfigFile<TargetsFile>(env.targetsFile, targetsFileSchema);
  return resolveTargets(file, env, env.targetsFile, processEnv);
}

export function resolveTargets(
  file: TargetsFile,
  env: UploaderEnv,
  where: string,
  processEnv: NodeJS.ProcessEnv = process.env,
): UploaderConfig {
  const tenants = new Map<string, TenantConfig>();
  for (const [key, tenant] of Object.entries(file.tenants)) {
    const credential: CredentialConfig =
      tenant.credential.kind === 'clientSecret'
        ? {
            kind: 'clientSecret',
            clientId: tenant.credential.clientId,
            secret: resolveSecret(
              tenant.credential.secret,
              `${where}: /tenants/${key}/credential/secret`,
              processEnv,
            ) as Secret,
          }
        : tenant.credential.kind === 'workloadIdentity'
          ? {
              ...tenant.credential,
              tokenFilePath:
                tenant.credential.tokenFilePath ??
                processEnv.AZURE_FEDERATED_TOKEN_FILE ??
                workloadTokenFile,
            }
          : tenant.credential;
    tenants.set(key, {
      key,
      ...tenant,
      tokenScope: graphScopeFor(tenant.graphBaseUrl, tenant.tokenScope),
      caFile: tenant.caFile,
      credential,
    });
  }

  const owner = new Map<string, string>();
  const jobs = Object.entries(file.jobs).map(([key, job]): JobConfig => {
    const tenant = tenants.get(job.tenant);
    if (!tenant) {
      throw new TributaryError(
        'CONFIG_INVALID',
        `${where}: /jobs/${key}/tenant: no tenant named "${job.tenant}"`,
      );
    }
    for (const connection of job.connections) {
      const other = owner.get(connection);
      if (other !== undefined) {
        throw new TributaryError(
          'CONFIG_INVALID',
          `${where}: /jobs/${key}/connections: "${connection}" already routes to job "${other}"`,
        );
      }
      owner.set(connection, key);
    }
    return {
      key,
      tenant,
      servicePrincipalId: job.servicePrincipalId,
      jobId: job.jobId,
      apiVersion: job.apiVersion ?? tenant.apiVersion,
      connections: job.connections,
      batch: job.batch,
      mapping: job.mapping,
    };
  });

  return { env, tenants: [...tenants.values()], jobs };
}
