import type { CanonicalCollection } from './canonical-paths.ts';

type Rec = Record<string, unknown>;

// SCIM's canonical types (RFC 7643 section 4.1.2): emails know work/home/other, so a personal
// address is `home`; phone and address types already match one to one.
const emailTypes: Rec = { work: 'work', personal: 'home', other: 'other' };
const phoneTypes: Rec = {
  work: 'work',
  mobile: 'mobile',
  home: 'home',
  fax: 'fax',
  other: 'other',
};
const addressTypes: Rec = { work: 'work', home: 'home', other: 'other' };

const addressFields = [
  'formatted',
  'streetAddress',
  'locality',
  'region',
  'postalCode',
  'country',
] as const;

/** Canonical array to SCIM multi-valued attribute; undefined (absent) when nothing is left. */
export function toScimCollection(
  collection: CanonicalCollection,
): (list: unknown) => Rec[] | undefined {
  if (collection === 'addresses') return (list) => convert(list, toAddress);
  const types = collection === 'emails' ? emailTypes : phoneTypes;
  return (list) => convert(list, (item) => toValued(item, types));
}

function convert(list: unknown, one: (item: Rec) => Rec | undefined): Rec[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out: Rec[] = [];
  for (const item of list as Rec[]) {
    const converted = one(item);
    if (converted) out.push(converted);
  }
  return out.length === 0 ? undefined : out;
}

function toValued(item: Rec, types: Rec): Rec | undefined {
  if (typeof item.value !== 'string' || item.value === '') return undefined;
  const out: Rec = { value: item.value, type: types[item.type as string] ?? 'other' };
  if (typeof item.primary === 'boolean') out.primary = item.primary;
  return out;
}

function toAddress(item: Rec): Rec | undefined {
  const out: Rec = { type: addressTypes[item.type as string] ?? 'other' };
  let hasField = false;
  for (const field of addressFields) {
    const value = item[field];
    if (typeof value === 'string' && value !== '') {
      out[field] = value;
      hasField = true;
    }
  }
  // An address that is only a type says nothing; sending it would create an empty entry.
  if (!hasField) return undefined;
  if (typeof item.primary === 'boolean') out.primary = item.primary;
  return out;
}
