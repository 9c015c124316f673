import type { SerializedUser } from '../mapping/index.ts';

export const bulkRequestSchema = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

/** Entra takes at most 50 operations a request. */
export const maxOperationsPerRequest = 50;

/** One operation of the request: a worker's serialized user, named by its externalId. */
export interface BulkOperation extends Pick<SerializedUser, 'json'> {
  externalId: string;
}

const opening = Buffer.from(`{"schemas":[${JSON.stringify(bulkRequestSchema)}],"Operations":[`);
const closing = Buffer.from('],"failOnErrors":null}');
const endOfOperation = Buffer.from('}');

/**
 * The body of a bulkUpload call, assembled from users serialized once when they were mapped:
 * their bytes are copied into the body as they are. `bulkId` is the externalId: unique within
 * the request because each worker appears once, and meaningful to anyone reading a captured
 * request.
 */
export function bulkRequestBody(operations: readonly BulkOperation[]): Buffer {
  const parts: Buffer[] = [opening];
  operations.forEach((op, index) => {
    const bulkId = JSON.stringify(op.externalId);
    const start = `${index === 0 ? '' : ','}{"method":"POST","bulkId":${bulkId},"path":"/Users"`;
    parts.push(Buffer.from(`${start},"data":`), op.json, endOfOperation);
  });
  parts.push(closing);
  return Buffer.concat(parts);
}
