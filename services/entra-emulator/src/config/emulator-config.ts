/** Where a client secret comes from. `localDefault` lets a local demo run with nothing set. */
export type SecretSource =
  { env: string; localDefault?: string } | { file: string } | { value: string };

/** A PEM document given inline or by path. */
export type PemSource = { pem: string } | { file: string };

export type JobState = 'NotRun' | 'Active' | 'Paused' | 'Quarantine';

export type FaultRoute = 'bulkUpload' | 'provisioningLogs' | 'jobs' | 'token';

export interface FederatedCredentialConfig {
  issuer: string;
  subject: string;
  audiences: string[];
  /** Public keys of the issuer; a client assertion must verify against one of them. */
  publicKeys: PemSource[];
}

export interface AppConfig {
  /** The client id. */
  appId: string;
  displayName: string;
  /** Object id of the app's own service principal: the `oid` and `sub` of its tokens. */
  servicePrincipalId: string;
  clientSecrets: SecretSource[];
  /** Public certificates whose private keys may sign client assertions. */
  certificates: PemSource[];
  federatedCredentials: FederatedCredentialConfig[];
  /** Application permissions granted with admin consent: the `roles` claim. */
  permissions: string[];
}

export interface AttributeMappingConfig {
  /** SCIM attribute path, e.g. `urn:ietf:params:scim:schemas:extension:acme:1.0:User:hireDate`. */
  source: string;
  /** Entra user property written, e.g. `employeeHireDate`. */
  target: string;
}

export interface JobConfig {
  id: string;
  state: JobState;
  /** Entra properties with "flow null values" on: null, "" or an omitted value clears them. */
  flowNullAttributes: string[];
  /** Keep unresolved manager references and try again in later cycles. */
  retryPendingReferences: boolean;
  /** Mappings for custom extension attributes, on top of the built-in core and enterprise ones. */
  attributeMappings: AttributeMappingConfig[];
}

export interface ServicePrincipalConfig {
  /** Object id of the provisioning app's service principal: `{spId}` in the Graph paths. */
  id: string;
  appId: string;
  displayName: string;
  /** Client ids of apps that own this one, for the `.OwnedBy` permissions. */
  ownerAppIds: string[];
  jobs: JobConfig[];
}

export interface SeedUserConfig {
  id?: string;
  employeeId?: string;
  userPrincipalName: string;
  displayName?: string;
  accountEnabled: boolean;
}

export interface TenantConfig {
  id: string;
  /** Domain appended to a `userName` that has none, to form the userPrincipalName. */
  defaultDomain: string;
  /** Overrides `throttling.dailyQuota` (2,000 with P1/P2, 6,000 with Governance). */
  dailyQuota?: number;
  apps: AppConfig[];
  servicePrincipals: ServicePrincipalConfig[];
  /** Users already in the directory, not yet known to any job. */
  users: SeedUserConfig[];
}

export interface ThrottlingConfig {
  enabled: boolean;
  windowSeconds: number;
  maxCallsPerWindow: number;
  dailyQuota: number;
  /** Whether a 429 carries `Retry-After`. */
  retryAfter: boolean;
}

export interface FaultConfig {
  /** Seed for fault randomness; absent means a random seed. */
  seed?: number;
  serverErrorRate: number;
  serverErrorRetryAfterSeconds?: number;
  latencyMs: number;
  latencyJitterMs: number;
  dropConnectionRate: number;
  routes: FaultRoute[];
}

export interface EmulatorConfig {
  server: {
    host: string;
    port: number;
    /** Where the CA, server and token-signing keys are kept across restarts; temporary if absent. */
    tlsDir?: string;
    /** Snapshot of the directory, jobs and logs, written after cycles and at stop. */
    stateFile?: string;
  };
  tokens: { lifetimeSeconds: number };
  tenants: TenantConfig[];
  throttling: ThrottlingConfig;
  faults: FaultConfig;
  bulkUpload: { maxOperations: number; tooManyOperationsMessage: string; maxBodyBytes: number };
  cycles: { intervalMs: number };
  provisioningLogs: {
    visibilityDelayMs: number;
    retainEntries: number;
    defaultPageSize: number;
    maxPageSize: number;
  };
}

type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What a caller passes: everything with a default may be left out. */
export type EmulatorConfigInput = DeepPartial<EmulatorConfig> & {
  tenants: DeepPartial<TenantConfig>[];
};
