import { describe, expect, it } from '@jest/globals';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { compileMapping, scimDigest, type ScimUser } from '../../src/mapping/index.ts';

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, child]) => [key, reversedKeys(child)]),
  );
}

describe('scimDigest', () => {
  const mapper = compileMapping({ extensionNamespace: 'urn:contoso:hr:1.0' }, 'test');
  const result = mapper.map(sampleWorkerEvent({ managerEmployeeId: '89607' }));
  if (!result.ok) throw new Error(result.reason);
  const user = result.user;

  it('is a base64url SHA-256', () => {
    expect(scimDigest(user)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('does not depend on key order', () => {
    expect(scimDigest(reversedKeys(user) as ScimUser)).toBe(scimDigest(user));
  });

  it('changes when any value changes, however deep', () => {
    const changed = structuredClone(user);
    (
      changed['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as {
        manager: { value: string };
      }
    ).manager.value = '89608';

    expect(scimDigest(changed)).not.toBe(scimDigest(user));
    expect(scimDigest({ ...user, active: false })).not.toBe(scimDigest(user));
  });

  it('treats an undefined property as absent, as JSON does', () => {
    expect(scimDigest({ ...user, title: undefined })).toBe(scimDigest(withoutTitle(user)));
  });
});

function withoutTitle(user: ScimUser): ScimUser {
  const copy = { ...user };
  delete copy.title;
  return copy;
}
