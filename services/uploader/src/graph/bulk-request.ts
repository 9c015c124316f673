import type { ScimUser } from '../mapping/index.ts';

export const bulkRequestSchema = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Entra takes at most 50 operations a request. */
export const maxOperationsPerRequest = 50;

export interface BulkOperation {
  method: 'POST';
  bulkId: string;
  path: '/Users';
  data: ScimUser;
}

/**
 * The body of a bulkUpload call. `bulkId` is the externalId: unique within the request because
 * each worker appears once, and meaningful to anyone reading a captured request.
 */
export function bulkRequestBody(users: readonly ScimUser[]): string {
  const operations: BulkOperation[] = users.map((user) => ({
    method: 'POST',
    bulkId: user.externalId,
    path: '/Users',
    data: user,
  }));
  return JSON.stringify({
    schemas: [bulkRequestSchema],
    Operations: operations,
    failOnErrors: null,
  });
}
