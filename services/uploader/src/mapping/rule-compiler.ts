import type { Worker } from '@tributary/worker-event';
import { resolveCanonicalPath, type JsonType } from './canonical-paths.ts';
import { toScimCollection } from './multi-valued.ts';
import type { ScimTarget } from './scim-targets.ts';
import { applyCase, formatDate } from './transforms.ts';
import type { AttributeRule, BaseSource, ValueSource, Transforms } from './types.ts';

export type Produce = (worker: Worker) => unknown;

export interface CompiledRule {
  /** The attribute's value, or undefined, null or '' when it has none. */
  produce: Produce;
  required: boolean;
  /** JSON types the value can take; they type the extension schema. */
  types: JsonType[];
}

/** A value that exists but cannot be converted; the record fails with MAPPING_FAILED. */
export class MappingFailure extends Error {}

export function isAbsent(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

const sourceKeys = ['from', 'const', 'template'] as const;

/**
 * Turns one attribute rule into a closure, once at start. Problems are collected with the key
 * path of the offending setting (`/attributes/title/from`) so one start reports all of them.
 */
export function compileRule(
  key: string,
  rule: AttributeRule,
  target: ScimTarget,
  at: string,
  problems: string[],
): CompiledRule | undefined {
  if ('omit' in rule) {
    if (Object.keys(rule).length > 1)
      problems.push(`${at}: omit cannot be combined with other keys`);
    return undefined;
  }

  const main = compileSource(rule, target, at, problems);
  const fallback = rule.fallback
    ? compileSource(rule.fallback, target, `${at}/fallback`, problems)
    : null;
  if (!main || fallback === undefined) return undefined;

  const transforms: Transforms = rule;
  const isCollection =
    target.collection !== undefined && 'from' in rule && main.types[0] === 'array';
  const transformed = ['case', 'dateFormat', 'trim', 'default'].filter((name) => name in rule);
  if (isCollection && transformed.length > 0) {
    problems.push(`${at}: ${transformed.join(', ')} cannot apply to a whole canonical array`);
    return undefined;
  }

  let produce = main.produce;
  const types = new Set(main.types);

  // Each step wraps the previous one only when configured, so an unconfigured transform costs
  // nothing per record.
  if (fallback) {
    const first = produce;
    const second = fallback.produce;
    produce = (worker) => {
      const value = first(worker);
      return isAbsent(value) ? second(worker) : value;
    };
    for (const type of fallback.types) types.add(type);
  }
  if (transforms.trim) {
    const inner = produce;
    produce = (worker) => {
      const value = inner(worker);
      return typeof value === 'string' ? value.trim() : value;
    };
  }
  if (transforms.default !== undefined) {
    const inner = produce;
    const fallbackValue = transforms.default;
    produce = (worker) => {
      const value = inner(worker);
      return isAbsent(value) ? fallbackValue : value;
    };
    types.add(typeof fallbackValue as JsonType);
  }
  if (transforms.dateFormat) {
    const inner = produce;
    const format = transforms.dateFormat;
    produce = (worker) => {
      const value = inner(worker);
      if (typeof value !== 'string' || value === '') return value;
      const formatted = formatDate(value, format);
      if (formatted === undefined)
        throw new MappingFailure(`${key}: value is not a date or instant`);
      return formatted;
    };
  }
  if (transforms.case) {
    const inner = produce;
    const mode = transforms.case;
    produce = (worker) => {
      const value = inner(worker);
      return typeof value === 'string' ? applyCase(value, mode) : value;
    };
  }

  return { produce, required: transforms.required === true, types: [...types] };
}

function compileSource(
  source: BaseSource | ValueSource,
  target: ScimTarget,
  at: string,
  problems: string[],
): { produce: Produce; types: JsonType[] } | undefined {
  const given = sourceKeys.filter((name) => name in source);
  if (given.length !== 1) {
    problems.push(
      `${at}: needs exactly one of from, const, template${at.endsWith('fallback') ? '' : ', omit'}`,
    );
    return undefined;
  }

  if ('const' in source) {
    const value = deepFreeze(structuredClone(source.const));
    const type: JsonType = Array.isArray(value) ? 'array' : (typeof value as JsonType);
    return { produce: () => value, types: [type] };
  }
  if ('template' in source) return compileTemplate(source.template, `${at}/template`, problems);

  const path = resolveCanonicalPath(source.from);
  if (!path) {
    problems.push(`${at}/from: unknown canonical path "${source.from}"`);
    return undefined;
  }
  if (!path.collection) return { produce: path.get, types: path.types };

  // A canonical array has one SCIM counterpart whose item shape the conversion knows.
  if (target.collection !== path.collection) {
    problems.push(`${at}/from: the canonical array "${source.from}" cannot feed this attribute`);
    return undefined;
  }
  const convert = toScimCollection(path.collection);
  const get = path.get;
  return { produce: (worker) => convert(get(worker)), types: ['array'] };
}

/**
 * `Dear {name.givenName}` becomes literal parts and getters; `{{` and `}}` are literal braces. A
 * placeholder without a value makes the whole result absent: half a value is worse than none.
 */
function compileTemplate(
  text: string,
  at: string,
  problems: string[],
): { produce: Produce; types: JsonType[] } | undefined {
  const parts: Array<string | Produce> = [];
  let literal = '';
  let index = 0;
  let valid = true;

  while (index < text.length) {
    const char = text[index];
    const next = text[index + 1];
    if ((char === '{' && next === '{') || (char === '}' && next === '}')) {
      literal += char;
      index += 2;
    } else if (char === '}') {
      problems.push(`${at}: "}" at offset ${index} closes nothing (write "}}" for a brace)`);
      valid = false;
      index += 1;
    } else if (char === '{') {
      const end = text.indexOf('}', index);
      if (end === -1) {
        problems.push(`${at}: "{" at offset ${index} is never closed`);
        valid = false;
        break;
      }
      const name = text.slice(index + 1, end).trim();
      const path = resolveCanonicalPath(name);
      if (!path || path.collection) {
        problems.push(`${at}: unknown canonical path "${name}"`);
        valid = false;
      } else {
        if (literal !== '') parts.push(literal);
        literal = '';
        parts.push(path.get);
      }
      index = end + 1;
    } else {
      literal += char;
      index += 1;
    }
  }
  if (literal !== '') parts.push(literal);
  if (!valid) return undefined;

  return {
    types: ['string'],
    produce: (worker) => {
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const value = part(worker);
        if (isAbsent(value)) return undefined;
        out += String(value);
      }
      return out;
    },
  };
}

// A constant is shared by every user the mapping produces; freezing it keeps one caller's
// mutation from leaking into the next record.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
