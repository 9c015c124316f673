import type { AttributeMappingConfig } from '../config/emulator-config.ts';

export const coreUserSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const enterpriseUserSchema = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * What a SCIM payload says about one Entra property:
 * - a string or boolean: this value;
 * - `null`: explicitly empty (JSON null or "");
 * - `undefined`: omitted while its container was sent;
 * - `containerMissing`: the complex attribute or collection element holding it was not sent, so
 *   even a flow-null attribute is left alone.
 */
export const containerMissing = Symbol('containerMissing');
export type SourceValue = string | boolean | null | undefined | typeof containerMissing;

type Data = Record<string, unknown>;
type Getter = (data: Data) => SourceValue;

export interface AttributeMapping {
  target: string;
  get: Getter;
}

const top =
  (key: string): Getter =>
  (data) =>
    scalar(data[key], key in data);

const child =
  (container: string, key: string): Getter =>
  (data) => {
    const holder = data[container];
    if (!isObject(holder)) return containerMissing;
    return scalar(holder[key], key in holder);
  };

/** `emails[type eq "work"].value`: the element of that type, else the primary one. */
const typed =
  (collection: string, type: string, key: string): Getter =>
  (data) => {
    const list = data[collection];
    if (!Array.isArray(list)) return containerMissing;
    const element = list.find((item) => isObject(item) && item.type === type);
    if (!isObject(element)) return containerMissing;
    return scalar(element[key], key in element);
  };

const enterprise = (key: string): Getter => child(enterpriseUserSchema, key);

/**
 * The emulator's built-in attribute mapping, close to the defaults of the "API-driven inbound
 * provisioning to Microsoft Entra ID" app. `userPrincipalName` and `mailNickname` derive from
 * `userName`; `accountEnabled` from `active`; the manager is a reference handled apart.
 */
export const builtInMappings: AttributeMapping[] = [
  { target: 'displayName', get: top('displayName') },
  { target: 'givenName', get: child('name', 'givenName') },
  { target: 'surname', get: child('name', 'familyName') },
  { target: 'jobTitle', get: top('title') },
  { target: 'employeeType', get: top('userType') },
  { target: 'preferredLanguage', get: top('preferredLanguage') },
  { target: 'mail', get: typed('emails', 'work', 'value') },
  { target: 'telephoneNumber', get: typed('phoneNumbers', 'work', 'value') },
  { target: 'mobile', get: typed('phoneNumbers', 'mobile', 'value') },
  { target: 'streetAddress', get: typed('addresses', 'work', 'streetAddress') },
  { target: 'city', get: typed('addresses', 'work', 'locality') },
  { target: 'state', get: typed('addresses', 'work', 'region') },
  { target: 'postalCode', get: typed('addresses', 'work', 'postalCode') },
  { target: 'country', get: typed('addresses', 'work', 'country') },
  { target: 'department', get: enterprise('department') },
  { target: 'companyName', get: enterprise('organization') },
  { target: 'employeeOrgData.division', get: enterprise('division') },
  { target: 'employeeOrgData.costCenter', get: enterprise('costCenter') },
];

/** Adds a job's custom mappings (`<namespace>:<attribute>` → Entra property) to the built-ins. */
export function mappingsFor(custom: AttributeMappingConfig[]): AttributeMapping[] {
  if (custom.length === 0) return builtInMappings;
  const extra = custom.map(({ source, target }) => {
    const cut = source.lastIndexOf(':');
    return { target, get: child(source.slice(0, cut), source.slice(cut + 1)) };
  });
  return [...builtInMappings, ...extra];
}

/** The `userName` as a UPN: a bare name gets the tenant's default domain. */
export function userPrincipalNameOf(userName: string, defaultDomain: string): string {
  return userName.includes('@') ? userName : `${userName}@${defaultDomain}`;
}

export function managerValueOf(data: Data): SourceValue {
  const ext = data[enterpriseUserSchema];
  if (!isObject(ext)) return containerMissing;
  if (!('manager' in ext)) return undefined;
  const manager = ext.manager;
  if (manager === null || manager === '') return null;
  if (typeof manager === 'string') return manager;
  if (!isObject(manager)) return null;
  return scalar(manager.value, 'value' in manager);
}

/**
 * The source attributes flattened the way the service shows them in the import step, e.g.
 * `namegivenName` or `urnietfparamsscimschemasextensionenterprise20Userdepartment`.
 */
export function flattenSource(data: Data): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (value: unknown, prefix: string): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (isObject(item) && typeof item.type === 'string') {
          walk(withoutType(item), `${prefix}[type eq "${item.type}"]`);
        }
      }
      return;
    }
    if (isObject(value)) {
      if (prefix.endsWith('manager') && 'value' in value) return walk(value.value, prefix);
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix + compact(key));
      return;
    }
    out[prefix] = String(value);
  };
  for (const [key, value] of Object.entries(data)) {
    if (key === 'schemas') continue;
    walk(value, compact(key));
  }
  return out;
}

function withoutType(item: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = item;
  return rest;
}

function compact(key: string): string {
  return key.replace(/[^A-Za-z0-9]/g, '');
}

function scalar(value: unknown, present: boolean): SourceValue {
  if (!present || value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
