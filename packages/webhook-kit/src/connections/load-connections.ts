import { compile, describeAjvErrors, loadConfigFile, resolveSecret } from '@tributary/config';
import { TributaryError } from '@tributary/errors';
import type { Connection, ConnectionSpec, HydrationMode } from './connection.ts';
import { connectionsFileSchema } from './connections-schema.ts';

/** What an adapter asks of its connections beyond the common shape. */
export interface ConnectionRules {
  system: string;
  /** JSON Schema of `options`. */
  optionsSchema?: object;
  /** Credentials `hydration.credentials` must name; a connection without hydration is allowed. */
  credentialNames?: readonly string[];
  hydrationDefaults?: { mode?: HydrationMode; delayMs?: number; inlineBudgetMs?: number };
}

/** Reads, validates and resolves a connections file; every problem names its key path. */
export function loadConnections(
  path: string,
  rules: ConnectionRules,
  env: NodeJS.ProcessEnv = process.env,
): Connection[] {
  const file = loadConfigFile<{ connections: ConnectionSpec[] }>(path, connectionsFileSchema);
  return resolveConnections(file.connections, rules, path, env);
}

/** As `loadConnections`, for specs built in code (tests, benchmarks). */
export function resolveConnections(
  specs: readonly ConnectionSpec[],
  rules: ConnectionRules,
  where = 'connections',
  env: NodeJS.ProcessEnv = process.env,
): Connection[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const options = rules.optionsSchema ? compile(rules.optionsSchema) : undefined;

  specs.forEach((spec, index) => {
    const at = `/connections/${index}`;
    if (seen.has(spec.id)) problems.push(`${at}/id: duplicate connection id`);
    seen.add(spec.id);
    if (spec.system !== rules.system) {
      problems.push(`${at}/system: this service adapts "${rules.system}"`);
    }
    if (options && !options(spec.options ?? {})) {
      for (const problem of describeAjvErrors(options.errors))
        problems.push(`${at}/options${problem}`);
    }
    const credentials = spec.hydration?.credentials ?? {};
    for (const name of spec.hydration ? (rules.credentialNames ?? []) : []) {
      if (!(name in credentials)) problems.push(`${at}/hydration/credentials/${name}: is required`);
    }
  });
  if (problems.length > 0) {
    throw new TributaryError('CONFIG_INVALID', `${where}: ${problems.join('; ')}`, {
      details: { problems },
    });
  }

  return specs.map((spec, index) => {
    const at = `${where}/connections/${index}`;
    const hydration = spec.hydration;
    const defaults = rules.hydrationDefaults ?? {};
    return {
      id: spec.id,
      system: spec.system,
      tenantId: spec.tenantId,
      secrets: spec.secrets.map((ref, n) => resolveSecret(ref, `${at}/secrets/${n}`, env)),
      options: spec.options ?? {},
      hydration: hydration && {
        baseUrl: hydration.baseUrl.replace(/\/+$/, ''),
        credentials: Object.fromEntries(
          Object.entries(hydration.credentials ?? {}).map(([name, ref]) => [
            name,
            resolveSecret(ref, `${at}/hydration/credentials/${name}`, env),
          ]),
        ),
        mode: hydration.mode ?? defaults.mode ?? 'inline',
        delayMs: hydration.delayMs ?? defaults.delayMs ?? 0,
        inlineBudgetMs: hydration.inlineBudgetMs ?? defaults.inlineBudgetMs ?? 4_000,
        timeoutMs: hydration.timeoutMs ?? 5_000,
        maxAttempts: hydration.maxAttempts ?? 4,
        requestsPerSecond: hydration.requestsPerSecond ?? 10,
      },
    };
  });
}
