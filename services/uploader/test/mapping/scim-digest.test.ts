import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import {
  compileMapping,
  scimDigest,
  serializeUser,
  type ScimUser,
} from '../../src/mapping/index.ts';

describe('serializeUser and scimDigest', () => {
  const mapper = compileMapping({ extensionNamespace: 'urn:contoso:hr:1.0' }, 'test');
  const result = mapper.map(sampleWorkerEvent({ managerEmployeeId: '89607' }));
  if (!result.ok) throw new Error(result.reason);
  const user = result.user;

  it('is a base64url SHA-256', () => {
    expect(scimDigest(user)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('fingerprints exactly the JSON that is sent', () => {
    const { json, digest } = serializeUser(user);
    expect(JSON.parse(json.toString('utf8'))).toEqual(user);
    expect(digest).toBe(createHash('sha256').update(json).digest('base64url'));
  });

  it('is the same for the same worker mapped again, and for a payload kept and read back', () => {
    const again = mapper.map(sampleWorkerEvent({ managerEmployeeId: '89607' }));
    if (!again.ok) throw new Error(again.reason);
    expect(scimDigest(again.user)).toBe(scimDigest(user));
    expect(scimDigest(JSON.parse(JSON.stringify(user)) as ScimUser)).toBe(scimDigest(user));
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
