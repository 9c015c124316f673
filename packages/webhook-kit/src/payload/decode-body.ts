import { TributaryError } from '@tributary/errors';

/** Parses a JSON body. Malformed input is the sender's fault: `WEBHOOK_MALFORMED`. */
export function decodeJson(rawBody: Buffer): unknown {
  if (rawBody.length === 0) throw malformed('the body is empty');
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw malformed('the body is not valid JSON');
  }
}

const forbiddenKeys = new Set(['__proto__', 'prototype', 'constructor']);
const maxFormDepth = 8;
const maxFormFields = 2_000;

type FormValue = string | FormObject | FormValue[];
interface FormObject {
  [key: string]: FormValue;
}

/**
 * Parses an `application/x-www-form-urlencoded` body with bracket paths, the shape PHP-style
 * senders produce: `data[companyId]=1&data[changedFields][0]=firstName` becomes
 * `{ data: { companyId: '1', changedFields: ['firstName'] } }`. Numeric segments make arrays;
 * empty brackets (`a[]=x`) append. Values stay strings: the payload schema decides what they mean.
 */
export function decodeForm(rawBody: Buffer): Record<string, FormValue> {
  const text = rawBody.toString('utf8');
  if (text.trim() === '') throw malformed('the form body is empty');
  const params = new URLSearchParams(text);
  const root: FormObject = {};
  let count = 0;

  for (const [name, value] of params) {
    if (++count > maxFormFields) throw malformed('too many form fields');
    const path = parseFormName(name);
    let node: FormObject | FormValue[] = root;
    for (let index = 0; index < path.length; index++) {
      const segment = path[index]!;
      const last = index === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[index + 1]!);
      const key: string | number = Array.isArray(node)
        ? segment === ''
          ? node.length
          : toIndex(segment)
        : segment;
      const current: FormValue | undefined = (node as Record<string | number, FormValue>)[key];
      if (last) {
        if (current !== undefined) throw malformed('a form field is repeated');
        (node as Record<string | number, FormValue>)[key] = value;
        break;
      }
      if (current === undefined) {
        const child: FormObject | FormValue[] = nextIsIndex ? [] : {};
        (node as Record<string | number, FormValue>)[key] = child;
        node = child;
      } else if (typeof current === 'string' || Array.isArray(current) !== nextIsIndex) {
        throw malformed('form fields conflict');
      } else {
        node = current;
      }
    }
  }
  if (count === 0) throw malformed('the form body has no fields');
  return root;
}

function parseFormName(name: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
  if (!match) throw malformed('a form field name is not well-formed');
  const segments = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
  if (segments.length > maxFormDepth) throw malformed('form fields nest too deep');
  if (segments.some((segment) => forbiddenKeys.has(segment))) {
    throw malformed('a form field name is not allowed');
  }
  return segments;
}

function toIndex(segment: string): number {
  // Sparse or huge indices would let a tiny body allocate a huge array.
  const index = Number(segment);
  if (!/^\d{1,4}$/.test(segment) || index > 1_000)
    throw malformed('a form array index is too large');
  return index;
}

function malformed(message: string): TributaryError {
  return new TributaryError('WEBHOOK_MALFORMED', message);
}
