import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { loadUploaderConfig } from '../src/config.ts';

const env = { ENTRA_CLIENT_SECRET: 'local' };

function targets(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tributary-targets-')), 'targets.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('loadUploaderConfig', () => {
  test('the local pipeline configuration loads with its defaults', () => {
    const config = loadUploaderConfig({
      ...env,
      TARGETS_FILE: 'services/uploader/config/local.yaml',
    });

    expect(config.env).toMatchObject({
      kafkaBrokers: ['127.0.0.1:9092'],
      port: 8090,
      groupId: 'tributary-uploader',
    });
    expect(config.tenants[0]).toMatchObject({
      key: 'local',
      apiVersion: 'beta',
      limits: { callsPerWindow: 40, windowMs: 5_000, dailyQuota: 6_000, lowBudgetFraction: 0.1 },
      credential: { kind: 'clientSecret' },
    });
    expect(`${(config.tenants[0]!.credential as { secret: unknown }).secret}`).toBe('[secret]');
    expect(config.jobs[0]).toMatchObject({
      key: 'local-workers',
      apiVersion: 'beta',
      batch: {
        maxOperations: 50,
        lingerMs: 500,
        lowBudgetLingerMs: 60_000,
        maxConcurrentRequests: 4,
      },
    });
  });

  test('every credential kind is accepted; workload identity finds the projected token file', () => {
    const path = targets(`
tenants:
  a: { tenantId: 11111111-1111-1111-1111-111111111111, credential: { kind: clientCertificate, clientId: 11111111-1111-1111-1111-111111111112, certificatePath: /etc/cert.pem } }
  b: { tenantId: 11111111-1111-1111-1111-111111111111, credential: { kind: workloadIdentity, clientId: 11111111-1111-1111-1111-111111111112 } }
  c: { tenantId: 11111111-1111-1111-1111-111111111111, credential: { kind: managedIdentity }, graphBaseUrl: https://graph.microsoft.us, authorityHost: https://login.microsoftonline.us }
jobs:
  j: { tenant: c, servicePrincipalId: 11111111-1111-1111-1111-111111111113, jobId: API2AAD.x.y, connections: [hr] }
`);

    const config = loadUploaderConfig({
      TARGETS_FILE: path,
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/token',
    });

    expect(config.tenants.map((tenant) => tenant.credential)).toEqual([
      {
        kind: 'clientCertificate',
        clientId: '11111111-1111-1111-1111-111111111112',
        certificatePath: '/etc/cert.pem',
      },
      {
        kind: 'workloadIdentity',
        clientId: '11111111-1111-1111-1111-111111111112',
        tokenFilePath: '/var/run/token',
      },
      { kind: 'managedIdentity' },
    ]);
    expect(config.jobs[0]).toMatchObject({
      apiVersion: 'v1.0',
      tenant: { graphBaseUrl: 'https://graph.microsoft.us' },
    });
  });

  test('a bad file names the key path and what was expected', () => {
    const path = targets(`
tenants:
  a: { tenantId: not-a-guid, credential: { kind: clientSecret, clientId: 11111111-1111-1111-1111-111111111112, secret: { env: S } } }
jobs:
  j: { tenant: a, servicePrincipalId: 11111111-1111-1111-1111-111111111113, jobId: J, connections: [hr], batch: { maxOperations: 51 } }
`);

    expect(() => loadUploaderConfig({ TARGETS_FILE: path, S: 's' })).toThrow(
      /\/tenants\/a\/tenantId: must match pattern/,
    );
    expect(() => loadUploaderConfig({ TARGETS_FILE: path, S: 's' })).toThrow(
      /\/jobs\/j\/batch\/maxOperations: must be <= 50/,
    );
  });

  test('a job naming an unknown tenant, or a connection routed twice, fails start', () => {
    const tenant = `tenants:
  a: { tenantId: 11111111-1111-1111-1111-111111111111, credential: { kind: managedIdentity } }
`;
    const unknown = targets(`${tenant}jobs:
  j: { tenant: b, servicePrincipalId: 11111111-1111-1111-1111-111111111113, jobId: J, connections: [hr] }
`);
    const twice = targets(`${tenant}jobs:
  j: { tenant: a, servicePrincipalId: 11111111-1111-1111-1111-111111111113, jobId: J, connections: [hr] }
  k: { tenant: a, servicePrincipalId: 11111111-1111-1111-1111-111111111113, jobId: K, connections: [hr] }
`);

    expect(() => loadUploaderConfig({ TARGETS_FILE: unknown })).toThrow(
      '/jobs/j/tenant: no tenant named "b"',
    );
    expect(() => loadUploaderConfig({ TARGETS_FILE: twice })).toThrow(
      '/jobs/k/connections: "hr" already routes to job "j"',
    );
  });

  test('a missing secret variable names the key path, never a value', () => {
    expect(() =>
      loadUploaderConfig({ TARGETS_FILE: 'services/uploader/config/local.yaml' }),
    ).toThrow(
      '/tenants/local/credential/secret: environment variable ENTRA_CLIENT_SECRET is not set',
    );
  });
});
