import { Agent, request } from 'undici';
import type { EmulatorConfigInput, EntraEmulator } from '../../src/index.ts';

export const tenantId = '0f6f7e8d-1c2b-4a59-9e3d-7c6b5a493827';
export const otherTenantId = '5d4c3b2a-1908-4f7e-8d6c-5b4a39281706';
export const uploaderAppId = '6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const uploaderSpId = '7b2e3d4c-5f6a-4b7c-9d8e-0f1a2b3c4d5e';
export const readerAppId = '8c3f4e5d-6a7b-4c8d-8e9f-1a2b3c4d5e6f';
export const provisioningSpId = '9d4a5f6e-7b8c-4d9e-9f0a-2b3c4d5e6f7a';
export const otherSpId = 'ae5b6a7f-8c9d-4eaf-8a1b-3c4d5e6f7a8b';
export const jobId = `API2AAD.${tenantId.replaceAll('-', '')}.1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e`;
export const otherJobId = `API2AAD.${tenantId.replaceAll('-', '')}.2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f`;
export const uploaderSecret = 'uploader-secret-for-tests';
export const readerSecret = 'reader-secret-for-tests';

export const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const core = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const bulkUrn = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/**
 * One tenant with an uploader app that owns the provisioning app (Upload.OwnedBy, log reading,
 * job control on what it owns), a second provisioning app it does not own, and a reader app
 * with the broad Upload permission. Throttling and the cycle timer are off unless asked for.
 */
export function testConfig(overrides: Partial<EmulatorConfigInput> = {}): EmulatorConfigInput {
  return {
    tokens: { lifetimeSeconds: 3600 },
    throttling: { enabled: false },
    cycles: { intervalMs: 0 },
    tenants: [
      {
        id: tenantId,
        defaultDomain: 'contoso.test',
        apps: [
          {
            appId: uploaderAppId,
            displayName: 'tributary-test',
            servicePrincipalId: uploaderSpId,
            clientSecrets: [{ value: uploaderSecret }],
            permissions: [
              'SynchronizationData-User.Upload.OwnedBy',
              'ProvisioningLog.Read.All',
              'Application.ReadWrite.OwnedBy',
            ],
          },
          {
            appId: readerAppId,
            displayName: 'reader',
            servicePrincipalId: 'bf6c7b8a-9d0e-4fb0-9b2c-4d5e6f7a8b9c',
            clientSecrets: [{ value: readerSecret }],
            permissions: ['SynchronizationData-User.Upload', 'AuditLog.Read.All'],
          },
        ],
        servicePrincipals: [
          {
            id: provisioningSpId,
            appId: 'c07d8c9b-0e1f-4a0c-8c3d-5e6f7a8b9c0d',
            displayName: 'API2AAD test',
            ownerAppIds: [uploaderAppId],
            jobs: [{ id: jobId, state: 'Active' }],
          },
          {
            id: otherSpId,
            appId: 'd18e9dac-1f2a-4b1d-9d4e-6f7a8b9c0d1e',
            displayName: 'API2AAD not owned',
            jobs: [{ id: otherJobId, state: 'Active' }],
          },
        ],
      },
      { id: otherTenantId },
    ],
    ...overrides,
  };
}

export function agentFor(emulator: EntraEmulator): Agent {
  return new Agent({ connect: { ca: emulator.caCertPem }, pipelining: 1 });
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(
  agent: Agent,
  url: string,
  options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResult> {
  const response = await request(url, {
    dispatcher: agent,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    text,
    json: () => JSON.parse(text),
  };
}

/** A token straight from the token endpoint, for tests that are not about the credentials. */
export async function tokenFor(
  emulator: EntraEmulator,
  agent: Agent,
  appId = uploaderAppId,
  secret = uploaderSecret,
): Promise<string> {
  const result = await call(agent, `${emulator.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: appId,
      client_secret: secret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
  });
  if (result.status !== 200)
    throw new Error(`token request failed: ${result.status} ${result.text}`);
  return result.json().access_token as string;
}

export function bulkUploadUrl(
  emulator: EntraEmulator,
  sp = provisioningSpId,
  job = jobId,
  version = 'v1.0',
) {
  return `${emulator.graphUrl}/${version}/servicePrincipals/${sp}/synchronization/jobs/${job}/bulkUpload`;
}

export function userOperation(externalId: string, extra: Record<string, unknown> = {}) {
  return {
    method: 'POST',
    bulkId: externalId,
    path: '/Users',
    data: {
      schemas: [core, enterprise],
      externalId,
      userName: `user${externalId}@contoso.test`,
      displayName: `User ${externalId}`,
      ...extra,
    },
  };
}

export function bulkBody(operations: unknown[]): string {
  return JSON.stringify({ schemas: [bulkUrn], Operations: operations, failOnErrors: null });
}

export async function upload(
  emulator: EntraEmulator,
  agent: Agent,
  token: string,
  operations: unknown[],
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return call(agent, bulkUploadUrl(emulator), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/scim+json',
      ...headers,
    },
    body: bulkBody(operations),
  });
}
