import type { CanonicalCollection } from './canonical-paths.ts';

export const coreSchemaUrn = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const enterpriseSchemaUrn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export type TargetArea = 'core' | 'enterprise' | 'extension';

export interface ScimTarget {
  area: TargetArea;
  /** Attribute path inside its area's object: `['name', 'givenName']`, `['manager', 'value']`. */
  segments: string[];
  /** For multi-valued attributes: the only canonical array that may feed it. */
  collection?: CanonicalCollection;
  /** Writing order, so a user's keys come out in a stable, readable order. */
  order: number;
}

// The writable attributes of RFC 7643 section 4.1 (core) and 4.3 (enterprise). Read-only ones
// (`id`, `meta`, `groups`) and `password` are deliberately not targets.
const coreAttributes = [
  'externalId',
  'userName',
  'name.formatted',
  'name.familyName',
  'name.givenName',
  'name.middleName',
  'name.honorificPrefix',
  'name.honorificSuffix',
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'active',
  'emails',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'entitlements',
  'roles',
  'x509Certificates',
];

const enterpriseAttributes = [
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
  'manager.value',
  'manager.displayName',
];

const feeds: Record<string, CanonicalCollection> = {
  emails: 'emails',
  phoneNumbers: 'phones',
  addresses: 'addresses',
};

/** SCIM attribute names (RFC 7643 section 2.1): a letter, then letters, digits, `-` or `_`. */
export const scimAttributeName = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** `extension:*` stands for "every canonical custom attribute", see the default mapping. */
export const customPassThrough = 'extension:*';

const known = new Map<string, ScimTarget>();
coreAttributes.forEach((path, index) => {
  const collection = feeds[path];
  known.set(path, {
    area: 'core',
    segments: path.split('.'),
    order: index,
    ...(collection ? { collection } : {}),
  });
});
enterpriseAttributes.forEach((path, index) => {
  known.set(`enterprise:${path}`, {
    area: 'enterprise',
    segments: path.split('.'),
    order: 100 + index,
  });
});

/** Resolves a configuration key (`title`, `enterprise:department`, `extension:BadgeId`). */
export function resolveScimTarget(key: string): ScimTarget | undefined {
  const target = known.get(key);
  if (target) return target;
  if (key.startsWith('extension:')) {
    const name = key.slice('extension:'.length);
    if (scimAttributeName.test(name)) return { area: 'extension', segments: [name], order: 200 };
  }
  return undefined;
}
