import { loadConfigFile, validateConfig } from '@tributary/config';
import { TributaryError } from '@tributary/errors';
import type { EmulatorConfig, EmulatorConfigInput } from './emulator-config.ts';
import { emulatorConfigSchema } from './emulator-config-schema.ts';

/** Reads and validates a YAML or JSON configuration file. */
export function loadEmulatorConfig(path: string): EmulatorConfig {
  return checkReferences(loadConfigFile<EmulatorConfig>(path, emulatorConfigSchema), path);
}

/** Validates a configuration given as an object (the library entry point), filling defaults. */
export function resolveEmulatorConfig(input: EmulatorConfigInput | EmulatorConfig): EmulatorConfig {
  const copy = structuredClone(input);
  return checkReferences(
    validateConfig<EmulatorConfig>(copy, emulatorConfigSchema, 'emulator config'),
    'emulator config',
  );
}

/** Rules JSON Schema cannot say: ids that must be unique across the whole emulator. */
function checkReferences(config: EmulatorConfig, where: string): EmulatorConfig {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const claim = (kind: string, id: string, path: string): void => {
    const key = `${kind}:${id}`;
    const first = seen.get(key);
    if (first) problems.push(`${path}: duplicate ${kind} "${id}" (first at ${first})`);
    else seen.set(key, path);
  };

  config.tenants.forEach((tenant, t) => {
    claim('tenant', tenant.id, `/tenants/${t}/id`);
    tenant.apps.forEach((app, a) => claim('appId', app.appId, `/tenants/${t}/apps/${a}/appId`));
    tenant.servicePrincipals.forEach((sp, s) => {
      claim('servicePrincipal', sp.id, `/tenants/${t}/servicePrincipals/${s}/id`);
      sp.jobs.forEach((job, j) =>
        claim('job', job.id, `/tenants/${t}/servicePrincipals/${s}/jobs/${j}/id`),
      );
    });
  });

  if (problems.length > 0) {
    throw new TributaryError('CONFIG_INVALID', `${where}: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return config;
}
