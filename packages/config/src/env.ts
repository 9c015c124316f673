import { TributaryError } from '@tributary/errors';

type Parsed<K extends EnvKind> = K extends 'string'
  ? string
  : K extends 'integer'
    ? number
    : K extends 'boolean'
      ? boolean
      : string[];

type EnvKind = 'string' | 'integer' | 'boolean' | 'list';

export interface EnvSetting<K extends EnvKind = EnvKind> {
  /** The variable's name, e.g. `KAFKA_BROKERS`. */
  env: string;
  kind: K;
  default?: Parsed<K>;
  /** Inclusive bounds for integers. */
  min?: number;
  max?: number;
  /** Allowed values for strings. */
  oneOf?: readonly string[];
}

export type EnvSpec = Record<string, EnvSetting>;

export type EnvConfig<S extends EnvSpec> = {
  [Key in keyof S]: S[Key] extends EnvSetting<infer K>
    ? S[Key] extends { default: unknown }
      ? Parsed<K>
      : Parsed<K> | undefined
    : never;
};

/**
 * Declares one setting with its type inferred from `kind`; with a default the value is always
 * there, without one it may be `undefined`.
 */
export function setting<K extends EnvKind>(
  spec: EnvSetting<K> & { default: Parsed<K> },
): EnvSetting<K> & { default: Parsed<K> };
export function setting<K extends EnvKind>(spec: EnvSetting<K>): EnvSetting<K>;
export function setting<K extends EnvKind>(spec: EnvSetting<K>): EnvSetting<K> {
  return spec;
}

/**
 * Reads typed settings from environment variables. Every bad value is reported at once, each
 * naming the variable and what it expected, so a deployment is fixed in one round.
 */
export function readEnv<S extends EnvSpec>(
  spec: S,
  env: NodeJS.ProcessEnv = process.env,
): EnvConfig<S> {
  const result: Record<string, unknown> = {};
  const problems: string[] = [];

  for (const [key, setting] of Object.entries(spec)) {
    const raw = env[setting.env];
    if (raw === undefined || raw === '') {
      result[key] = setting.default;
      continue;
    }
    const parsed = parse(setting, raw.trim());
    if (typeof parsed === 'string' && setting.kind !== 'string') {
      problems.push(parsed);
    } else if (setting.kind === 'string' && setting.oneOf && !setting.oneOf.includes(raw)) {
      problems.push(`${setting.env}: expected one of ${setting.oneOf.join(', ')}`);
    } else {
      result[key] = parsed;
    }
  }

  if (problems.length > 0) {
    throw new TributaryError('CONFIG_INVALID', `environment: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return result as EnvConfig<S>;
}

function parse(setting: EnvSetting, raw: string): unknown {
  switch (setting.kind) {
    case 'string':
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    case 'boolean':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      return `${setting.env}: expected true or false`;
    case 'integer': {
      const value = Number(raw);
      const bounds = `${setting.min ?? '-inf'}..${setting.max ?? 'inf'}`;
      if (!Number.isInteger(value)) return `${setting.env}: expected an integer`;
      if (setting.min !== undefined && value < setting.min)
        return `${setting.env}: expected ${bounds}`;
      if (setting.max !== undefined && value > setting.max)
        return `${setting.env}: expected ${bounds}`;
      return value;
    }
  }
}
