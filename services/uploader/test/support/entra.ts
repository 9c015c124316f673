import { startEmulator, type EntraEmulator, type RuntimeSettings } from '@tributary/entra-emulator';
import type { UploaderConfig } from '../../src/config.ts';
import { envSpec, resolveTargets } from '../../src/config.ts';
import { readEnv } from '@tributary/config';

export const ids = {
  tenantId: '4e1a7c52-9b3d-4f60-8a2e-6d5c3b1f0a97',
  appId: '2b8f4d16-7c3e-4a59-b1d0-9e6a5c4f3b28',
  appServicePrincipalId: '8d3c6e2a-1f4b-4c7d-9a5e-0b2f7d6c4e13',
  servicePrincipalId: '5a9e2c7f-3d1b-4e8a-b6c4-1f0d9e8a7b62',
  jobId: 'API2AAD.4e1a7c529b3d4f608a2e6d5c3b1f0a97.c3e8a1d4-6b2f-4a9c-9d7e-5f4b3a2c1e06',
  secret: 'uploader-test-secret',
};

/**
 * An emulator with one tenant, one app owning one Active job, processing every 100 ms. The app
 * may upload; `permissions` replaces what it was granted (to read the logs, for instance).
 */
export function startEntra(
  settings: RuntimeSettings = {},
  permissions = ['SynchronizationData-User.Upload.OwnedBy'],
): Promise<EntraEmulator> {
  return startEmulator({
    server: { host: '127.0.0.1', port: 0 },
    cycles: { intervalMs: 100 },
    throttling: { enabled: false, ...settings.throttling },
    ...(settings.faults ? { faults: settings.faults } : {}),
    ...(settings.provisioningLogs ? { provisioningLogs: settings.provisioningLogs } : {}),
    tenants: [
      {
        id: ids.tenantId,
        defaultDomain: 'contoso.example',
        apps: [
          {
            appId: ids.appId,
            displayName: 'tributary-test',
            servicePrincipalId: ids.appServicePrincipalId,
            clientSecrets: [{ value: ids.secret }],
            permissions,
          },
        ],
        servicePrincipals: [
          {
            id: ids.servicePrincipalId,
            appId: '7c4b1e9d-2a6f-4d3c-8e5b-3a2f1d0c9b84',
            displayName: 'API-driven provisioning (test)',
            ownerAppIds: [ids.appId],
            jobs: [{ id: ids.jobId, state: 'Active' }],
          },
        ],
      },
    ],
  });
}

export interface TargetOptions {
  namespace: string;
  connections?: string[];
  limits?: { callsPerWindow?: number; windowMs?: number; dailyQuota?: number };
  lingerMs?: number;
  env?: Record<string, string>;
}

/** The uploader's configuration for that emulator, as a targets file would give it. */
export function uploaderConfig(emulator: EntraEmulator, options: TargetOptions): UploaderConfig {
  const env = readEnv(envSpec, {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
    TOPIC_NAMESPACE: options.namespace,
    CONSUMER_GROUP: `${options.namespace}-uploader`,
    INSTANCE_ID: `${options.namespace}-1`,
    PORT: '0',
    CONSUMER_CONCURRENCY: '12',
    ...options.env,
  });
  return resolveTargets(
    {
      tenants: {
        contoso: {
          tenantId: ids.tenantId,
          authorityHost: emulator.authorityHost,
          graphBaseUrl: emulator.graphUrl,
          apiVersion: 'v1.0',
          caFile: emulator.caFile,
          credential: {
            kind: 'clientSecret',
            clientId: ids.appId,
            secret: { env: 'TEST_CLIENT_SECRET' },
          },
          limits: {
            callsPerWindow: 40,
            windowMs: 5_000,
            dailyQuota: 2_000,
            lowBudgetFraction: 0.1,
            ...options.limits,
          },
        },
      },
      jobs: {
        'contoso-workers': {
          tenant: 'contoso',
          servicePrincipalId: ids.servicePrincipalId,
          jobId: ids.jobId,
          connections: options.connections ?? ['contoso-hr'],
          batch: {
            maxOperations: 50,
            lingerMs: options.lingerMs ?? 200,
            lowBudgetLingerMs: 60_000,
            maxConcurrentRequests: 4,
          },
        },
      },
    },
    env,
    'test targets',
    { TEST_CLIENT_SECRET: ids.secret },
  );
}
