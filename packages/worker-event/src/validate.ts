import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// A CommonJS module: its plugin function arrives as the namespace's `default`.
const addFormats = addFormatsModule.default;
import { TributaryError } from '@tributary/errors';
import { workerEventSchema } from './schema.ts';
import type { WorkerEvent } from './types.ts';

export interface Problem {
  /** JSON Pointer to the offending value, `/worker/emails/0/value`; `/` for the whole event. */
  path: string;
  message: string;
}

export type Validation = { ok: true; event: WorkerEvent } | { ok: false; problems: Problem[] };

// Compiled once per process: validation runs on every produce and every consume. Union types
// are spelled `type: [...]`, not `anyOf`, which would build an error for each failed branch.
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const check = ajv.compile<WorkerEvent>(workerEventSchema);

/** Validates a decoded value against the v1 schema; returns every problem, not just the first. */
export function validateWorkerEvent(value: unknown): Validation {
  if (check(value)) return { ok: true, event: value };
  return { ok: false, problems: (check.errors ?? []).map(toProblem) };
}

/** As `validateWorkerEvent`, throwing `EVENT_INVALID` that lists the paths (never the values). */
export function assertWorkerEvent(value: unknown): WorkerEvent {
  const result = validateWorkerEvent(value);
  if (result.ok) return result.event;
  throw new TributaryError(
    'EVENT_INVALID',
    `worker event invalid: ${formatProblems(result.problems)}`,
    {
      details: { problems: result.problems },
    },
  );
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((problem) => `${problem.path} ${problem.message}`).join('; ');
}

function toProblem(error: ErrorObject): Problem {
  const base = error.instancePath === '' ? '' : error.instancePath;
  switch (error.keyword) {
    case 'required':
      return {
        path: `${base}/${(error.params as { missingProperty: string }).missingProperty}`,
        message: 'is required',
      };
    case 'additionalProperties':
      return {
        path: `${base}/${(error.params as { additionalProperty: string }).additionalProperty}`,
        message: 'is not allowed',
      };
    case 'enum':
      return {
        path: base || '/',
        message: `must be one of ${allowedValues(error).join(', ')}`,
      };
    default:
      return { path: base || '/', message: error.message ?? error.keyword };
  }
}

function allowedValues(error: ErrorObject): unknown[] {
  return (error.params as { allowedValues: unknown[] }).allowedValues;
}
