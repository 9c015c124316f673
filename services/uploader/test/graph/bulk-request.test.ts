import { describe, expect, it } from '@jest/globals';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { bulkRequestBody, bulkRequestSchema } from '../../src/graph/bulk-request.ts';
import { compileMapping, serializeUser, type ScimUser } from '../../src/mapping/index.ts';

describe('bulkRequestBody', () => {
  const mapper = compileMapping({ extensionNamespace: 'urn:contoso:hr:1.0' }, 'test');
  const mapped = ['1001', '1002'].map((employeeId) => {
    const result = mapper.map(sampleWorkerEvent({ employeeId }));
    if (!result.ok) throw new Error(result.reason);
    return result.user;
  });
  // An id that needs escaping in JSON, to show the bulkId is encoded rather than pasted, and
  // one beyond ASCII, to show the body is UTF-8 throughout.
  const users = [
    ...mapped,
    { ...mapped[0]!, externalId: 'quote"and\\slash' },
    { ...mapped[1]!, externalId: 'Zoë-Ørsted-1003' },
  ];

  it('is the SCIM BulkRequest that serializing the whole request would give', () => {
    const body = bulkRequestBody(
      users.map((user) => ({ externalId: user.externalId, ...serializeUser(user) })),
    );

    expect(JSON.parse(body.toString('utf8'))).toEqual({
      schemas: [bulkRequestSchema],
      Operations: users.map((user: ScimUser) => ({
        method: 'POST',
        bulkId: user.externalId,
        path: '/Users',
        data: user,
      })),
      failOnErrors: null,
    });
  });

  it('is a valid request with no operation at all', () => {
    expect(JSON.parse(bulkRequestBody([]).toString('utf8'))).toMatchObject({ Operations: [] });
  });
});
