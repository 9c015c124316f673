import { validateConfig } from '@tributary/config';
import { TributaryError } from '@tributary/errors';
import type { Worker } from '@tributary/worker-event';
import type { JsonType } from './canonical-paths.ts';
import { defaultMapping } from './default-mapping.ts';
import { mappingConfigSchema } from './mapping-config-schema.ts';
import { compileRule, isAbsent, MappingFailure, type Produce } from './rule-compiler.ts';
import { scimUserSchema } from './scim-schema.ts';
import {
  coreSchemaUrn,
  customPassThrough,
  enterpriseSchemaUrn,
  resolveScimTarget,
  type TargetArea,
} from './scim-targets.ts';
import { compileScimValidator } from './scim-validator.ts';
import type { AttributeRule, MapResult, Mapper, MappingConfig, ScimUser } from './types.ts';

type Rec = Record<string, unknown>;

interface Writer {
  key: string;
  area: TargetArea;
  /** `name` for `name.givenName`; undefined for a top-level attribute. */
  parent: string | undefined;
  leaf: string;
  produce: Produce;
  required: boolean;
  order: number;
}

/**
 * Compiles a connection's mapping at start: the rules become closures and the connection's SCIM
 * schema becomes one ajv validator, so `map` does no parsing or compiling per record. Every
 * configuration problem is reported at once, each with its key path, as CONFIG_INVALID.
 */
export function compileMapping(config: MappingConfig | undefined, where: string): Mapper {
  const checked = validateConfig<MappingConfig>(
    structuredClone(config ?? {}),
    mappingConfigSchema,
    where,
  );
  const namespace = checked.extensionNamespace;
  const configured = checked.attributes ?? {};
  const rules: Record<string, AttributeRule> = {
    ...(checked.useDefaults === false ? {} : defaultMapping),
    ...configured,
  };

  const problems: string[] = [];
  const writers: Writer[] = [];
  const extensionTypes: Record<string, JsonType[]> = {};
  const extensionNames = new Set<string>();
  let passThrough = false;

  for (const [key, rule] of Object.entries(rules)) {
    const at = `/attributes/${key}`;
    const isConfigured = key in configured;

    if (key === customPassThrough) {
      if ('omit' in rule || !namespace) {
        if (isConfigured && !namespace && !('omit' in rule)) {
          problems.push(`${at}: needs extensionNamespace`);
        }
        continue;
      }
      if (!('from' in rule) || rule.from !== 'custom.*' || Object.keys(rule).length !== 1) {
        problems.push(`${at}: must be { from: 'custom.*' } or { omit: true }`);
        continue;
      }
      passThrough = true;
      continue;
    }

    const target = resolveScimTarget(key);
    if (!target) {
      problems.push(`${at}: unknown SCIM attribute`);
      continue;
    }
    if (target.area === 'extension') {
      if (!namespace) {
        if (isConfigured && !('omit' in rule)) problems.push(`${at}: needs extensionNamespace`);
        continue;
      }
      // SCIM attribute names are case-insensitive: two spellings would be one attribute.
      const name = key.toLowerCase();
      if (extensionNames.has(name)) problems.push(`${at}: duplicates another attribute's name`);
      extensionNames.add(name);
    }

    const compiled = compileRule(key, rule, target, at, problems);
    if (!compiled) continue;
    const [first = '', second] = target.segments;
    writers.push({
      key,
      area: target.area,
      parent: second === undefined ? undefined : first,
      leaf: second ?? first,
      produce: compiled.produce,
      required: compiled.required,
      order: target.order,
    });
    if (target.area === 'extension') extensionTypes[first] = compiled.types;
  }

  if (!writers.some((writer) => writer.key === 'externalId')) {
    problems.push('/attributes/externalId: is required, as Entra matches users on it');
  }
  if (problems.length > 0) {
    throw new TributaryError('CONFIG_INVALID', `${where}: ${problems.join('; ')}`, {
      details: { problems },
    });
  }

  writers.sort((a, b) => a.order - b.order);
  const validate = compileScimValidator(
    scimUserSchema(namespace ? { namespace, attributes: extensionTypes, passThrough } : undefined),
  );
  const explicitExtension = new Set(Object.keys(extensionTypes).map((name) => name.toLowerCase()));
  const baseSchemas = [coreSchemaUrn, enterpriseSchemaUrn];
  const extendedSchemas = namespace ? [...baseSchemas, namespace] : baseSchemas;

  function map(worker: Worker): MapResult {
    const user: Rec = { schemas: baseSchemas };
    let enterprise: Rec | undefined;
    let extension: Rec | undefined;

    try {
      for (const writer of writers) {
        const value = writer.produce(worker);
        if (isAbsent(value)) {
          if (writer.required)
            return mappingFailed(`required attribute ${writer.key} has no value`);
          continue;
        }
        const container =
          writer.area === 'core'
            ? user
            : writer.area === 'enterprise'
              ? (enterprise ??= {})
              : (extension ??= {});
        if (writer.parent === undefined) container[writer.leaf] = value;
        else ((container[writer.parent] ??= {}) as Rec)[writer.leaf] = value;
      }
    } catch (error) {
      if (error instanceof MappingFailure) return mappingFailed(error.message);
      throw error;
    }

    if (passThrough && worker.customAttributes) {
      extension = addCustomAttributes(worker.customAttributes, extension, explicitExtension);
    }

    // Fresh arrays: the caller owns the user it gets and may change it.
    user.schemas = (extension ? extendedSchemas : baseSchemas).slice();
    if (enterprise) user[enterpriseSchemaUrn] = enterprise;
    if (extension && namespace) user[namespace] = extension;

    const scim = user as ScimUser;
    const problems = validate(scim);
    if (problems) return { ok: false, code: 'SCIM_INVALID', reason: problems.join('; ') };

    const manager = (enterprise?.manager as Rec | undefined)?.value;
    return typeof manager === 'string'
      ? { ok: true, user: scim, managerExternalId: manager }
      : { ok: true, user: scim };
  }

  return {
    map: (event) => map(event.worker),
    extensionNamespace: namespace,
  };
}

function mappingFailed(reason: string): MapResult {
  return { ok: false, code: 'MAPPING_FAILED', reason };
}

/**
 * Copies canonical custom attributes under SCIM-safe names (`badgeId` -> `BadgeId`, `cost.center`
 * -> `Cost_center`). An explicitly mapped attribute of the same name wins, and so does the first
 * of two custom attributes that end up with one name.
 */
function addCustomAttributes(
  custom: Record<string, string | number | boolean | null>,
  extension: Rec | undefined,
  explicit: Set<string>,
): Rec | undefined {
  let out = extension;
  for (const [name, value] of Object.entries(custom)) {
    if (isAbsent(value)) continue;
    const scimName = scimNameOf(name);
    if (explicit.has(scimName.toLowerCase())) continue;
    out ??= {};
    if (!(scimName in out)) out[scimName] = value;
  }
  return out;
}

// Custom attribute names repeat across every record of a tenant; converting each once is enough.
// The cap keeps a stream of ever-new names from growing the cache without bound.
const scimNames = new Map<string, string>();

function scimNameOf(name: string): string {
  let scimName = scimNames.get(name);
  if (scimName === undefined) {
    scimName = name.charAt(0).toUpperCase() + name.slice(1).replace(/[^A-Za-z0-9_-]/g, '_');
    if (scimNames.size >= 10_000) scimNames.clear();
    scimNames.set(name, scimName);
  }
  return scimName;
}
