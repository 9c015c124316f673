import type { WorkerEvent } from '@tributary/worker-event';

/** A SCIM user as sent in `Operations[].data` of a bulkUpload request. */
export interface ScimUser {
  schemas: string[];
  externalId: string;
  [attribute: string]: unknown;
}

export type MapResult =
  | { ok: true; user: ScimUser; managerExternalId?: string }
  | { ok: false; code: 'SCIM_INVALID' | 'MAPPING_FAILED'; reason: string };

export type CaseTransform = 'lower' | 'upper' | 'title';
export type DateFormat = 'date' | 'datetime' | 'yyyyMMdd';

/** Where a value comes from: a canonical path, a constant, or a template over canonical paths. */
export type BaseSource = { from: string } | { const: unknown } | { template: string };

/** `fallback` is tried when the main source gives no value; it has no fallback of its own. */
export type ValueSource = BaseSource & { fallback?: BaseSource };

export interface Transforms {
  case?: CaseTransform;
  dateFormat?: DateFormat;
  trim?: boolean;
  /** Used when the source gives no value. */
  default?: string | number | boolean;
  /** An absent value fails the record with MAPPING_FAILED instead of leaving the attribute out. */
  required?: boolean;
}

/** One SCIM attribute's rule: a source and optional transforms, or `omit` to drop a default. */
export type AttributeRule = (ValueSource & Transforms) | { omit: true };

export interface MappingConfig {
  /** `urn:...`; required as soon as any `extension:` attribute is mapped. */
  extensionNamespace?: string;
  /** Keyed by SCIM target: `title`, `name.givenName`, `enterprise:department`, `extension:X`. */
  attributes?: Record<string, AttributeRule>;
  /** Start from the built-in mapping (default true); `attributes` then override or add. */
  useDefaults?: boolean;
}

export interface Mapper {
  /** Maps and validates one event; failures are values, for the caller to dead-letter. */
  map(event: WorkerEvent): MapResult;
  readonly extensionNamespace: string | undefined;
}
