import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// A CommonJS module: its plugin function arrives as the namespace's `default`.
const addFormats = addFormatsModule.default;

/**
 * One ajv instance for configuration schemas, compiled lazily and cached by schema identity, so a
 * service pays for compilation once at start.
 */
const ajv = new Ajv2020({ allErrors: true, strict: true, useDefaults: true });
addFormats(ajv);
const compiled = new WeakMap<object, ValidateFunction>();

export function compile(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** `/connections/0/tenantId: must be string`: the path first, so the bad key is easy to find. */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const path = error.instancePath === '' ? '/' : error.instancePath;
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return `${path}: unknown key "${extra}"`;
    }
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return `${path === '/' ? '' : path}/${missing}: is required`;
    }
    if (error.keyword === 'enum') {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return `${path}: must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return `${path}: ${error.message ?? error.keyword}`;
  });
}
