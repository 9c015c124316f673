import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTributaryError } from '@tributary/errors';
import { loadEmulatorConfig, resolveEmulatorConfig } from '../../src/index.ts';
import { testConfig } from '../support/emulator-fixture.ts';

const localConfig = new URL('../../config/local.yaml', import.meta.url).pathname;

describe('emulator configuration', () => {
  it('loads the shipped local configuration: one tenant, tributary-local, one Active job', () => {
    const config = loadEmulatorConfig(localConfig);
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8443 });
    expect(config.tenants).toHaveLength(1);
    const [tenant] = config.tenants;
    expect(tenant!.apps.map((app) => app.displayName)).toEqual(['tributary-local']);
    expect(tenant!.apps[0]!.clientSecrets[0]).toMatchObject({
      env: 'ENTRA_EMULATOR_CLIENT_SECRET',
    });
    expect(tenant!.servicePrincipals[0]!.jobs.map((job) => job.state)).toEqual(['Active']);
  });

  it('fills the documented defaults', () => {
    const config = resolveEmulatorConfig({ tenants: [{ id: 't' }] });
    expect(config.throttling).toEqual({
      enabled: true,
      windowSeconds: 5,
      maxCallsPerWindow: 40,
      dailyQuota: 2000,
      retryAfter: true,
    });
    expect(config.bulkUpload.maxOperations).toBe(50);
    expect(config.cycles.intervalMs).toBe(2000);
    expect(config.provisioningLogs.visibilityDelayMs).toBe(0);
    expect(config.server).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('names the bad key path in its errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'throttling:',
        '  maxCallsPerWindow: -1',
        'tenants:',
        '  - id: t',
        '    servicePrincipals:',
        '      - id: sp',
        '        appId: a',
        '        displayName: d',
        '        jobs: [{ id: j, state: Running }]',
        '    apps: [{ appId: a, displayName: x, servicePrincipalId: s, colour: red }]',
      ].join('\n'),
    );
    let error: unknown;
    try {
      loadEmulatorConfig(file);
    } catch (caught) {
      error = caught;
    }
    expect(isTributaryError(error, 'CONFIG_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('/throttling/maxCallsPerWindow');
    expect(message).toContain('/tenants/0/servicePrincipals/0/jobs/0/state');
    expect(message).toContain('/tenants/0/apps/0: unknown key "colour"');
  });

  it('refuses duplicate job ids', () => {
    const config = testConfig();
    config.tenants[0]!.servicePrincipals![1]!.jobs![0]!.id =
      config.tenants[0]!.servicePrincipals![0]!.jobs![0]!.id!;
    expect(() => resolveEmulatorConfig(config)).toThrow(/duplicate job/);
  });
});
