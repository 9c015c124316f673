import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ScimUser } from './types.ts';

// A CommonJS module: its plugin function arrives as the namespace's `default`.
const addFormats = addFormatsModule.default;

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ['email', 'uri']);

/** Returns the problems of a payload as `path: rule` lines, or undefined when it is valid. */
export type ScimValidator = (user: ScimUser) => string[] | undefined;

/** Compiles a payload schema once; the returned function runs for every record. */
export function compileScimValidator(schema: object): ScimValidator {
  const validate = ajv.compile(schema);
  return (user) => (validate(user) ? undefined : describe(validate.errors));
}

/** Paths and rules only: the values are personal data and must not reach a dead letter's reason. */
function describe(errors: ErrorObject[] | null | undefined): string[] {
  const problems: string[] = [];
  for (const error of errors ?? []) {
    const path = error.instancePath === '' ? '' : error.instancePath;
    switch (error.keyword) {
      case 'if':
        // The branch that failed reports its own, more precise error.
        break;
      case 'required':
        problems.push(
          `${path}/${(error.params as { missingProperty: string }).missingProperty}: is required`,
        );
        break;
      case 'additionalProperties':
        problems.push(
          `${path}/${(error.params as { additionalProperty: string }).additionalProperty}: is not an attribute of this schema`,
        );
        break;
      case 'contains':
        // Two places use `contains`: the URN list, and the one-primary rule of multi-valued ones.
        problems.push(
          path === '/schemas'
            ? `${path}: must list every schema URN whose attributes are present`
            : `${path}: at most one element may be primary`,
        );
        break;
      case 'not':
        problems.push(`${path}: must not list a schema URN whose attributes are absent`);
        break;
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
        problems.push(
          `${path}: must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`,
        );
        break;
      }
      default:
        problems.push(`${path || '/'}: ${error.message ?? error.keyword}`);
    }
  }
  return [...new Set(problems)];
}
