import type { SerializedUser } from '../mapping/index.ts';

export const bulkRequestSchema = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Entra takes at most 50 operations a request. */
export const maxOperationsPerRequest = 50;

/** One operation of the request: a worker's serialized user, named by its externalId. */
export interface BulkOperation extends Pick<SerializedUser, 'json'> {
  externalId: string;
}

const head = JSON.stringify(bulkRequestSchema);

/**
 * The body of a bulkUpload call, assembled from users serialized once when they were mapped.
 * `bulkId` is the externalId: unique within the request because each worker appears once, and
 * meaningful to anyone reading a captured request.
 */
export function bulkRequestBody(operations: readonly BulkOperation[]): string {
  const parts = operations.map(
    (op) =>
      `{"method":"POST","bulkId":${JSON.stringify(op.externalId)},"path":"/Users","data":${op.json}}`,
  );
  return `{"schemas":[${head}],"Operations":[${parts.join(',')}],"failOnErrors":null}`;
}
