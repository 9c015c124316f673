import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TributaryError } from '@tributary/errors';
import { compile, describeAjvErrors } from './ajv.ts';

/**
 * Reads a YAML or JSON configuration file and validates it against a JSON Schema. Defaults from
 * the schema are filled in. An invalid file fails with every problem listed by key path.
 */
export function loadConfigFile<T>(path: string, schema: object): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TributaryError('CONFIG_UNREADABLE', `cannot read configuration file ${path}`, {
      cause,
    });
  }

  let value: unknown;
  try {
    value = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new TributaryError('CONFIG_INVALID', `${path}: not valid YAML or JSON: ${reason}`, {
      cause,
    });
  }

  return validateConfig<T>(value, schema, path);
}

/** Validates an already parsed configuration value; `where` prefixes every message. */
export function validateConfig<T>(value: unknown, schema: object, where: string): T {
  const validate = compile(schema);
  if (!validate(value)) {
    const problems = describeAjvErrors(validate.errors);
    throw new TributaryError('CONFIG_INVALID', `${where}: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  return value as T;
}
