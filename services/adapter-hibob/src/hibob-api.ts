import { TributaryError } from '@tributary/errors';
import { HttpJsonClient, values, type Connection } from '@tributary/webhook-kit';

/** Field ids (dot notation) an employee snapshot needs. */
export const personFields = [
  'root.id',
  'root.email',
  'root.firstName',
  'root.surname',
  'root.displayName',
  'work.employeeIdInCompany',
  'work.title',
  'work.department',
  'work.site',
  'work.reportsTo.id',
  'work.startDate',
  'internal.status',
  'internal.lifecycleStatus',
  'internal.terminationDate',
] as const;

export type PersonRecord = Partial<Record<(typeof personFields)[number], string>>;

/**
 * `POST {base}/v1/people/{identifier}` with the wanted field ids in the body, HTTP Basic with the
 * service user's id and token. The identifier is the backend id or an email. Bob answers nested
 * objects (`{ work: { title } }`); flat keys in slash notation (`work/title`) are read too.
 */
export class HiBobApi {
  readonly #http: HttpJsonClient;

  constructor(connection: Connection) {
    const hydration = connection.hydration!;
    const { serviceUserId, token } = hydration.credentials;
    this.#http = new HttpJsonClient({
      baseUrl: hydration.baseUrl,
      timeoutMs: hydration.timeoutMs,
      maxAttempts: hydration.maxAttempts,
      requestsPerSecond: hydration.requestsPerSecond,
      headers: { authorization: values.basicAuth(serviceUserId!.reveal(), token!.reveal()) },
    });
  }

  async person(
    identifier: string,
    signal: AbortSignal,
    fields: readonly string[] = personFields,
  ): Promise<PersonRecord> {
    const response = await this.#http.request({
      method: 'POST',
      path: `/v1/people/${encodeURIComponent(identifier)}`,
      body: { fields, humanReadable: 'REPLACE' },
      signal,
    });
    if (typeof response.body !== 'object' || response.body === null) {
      throw new TributaryError('HYDRATION_REFUSED', 'HiBob answered without a person');
    }
    const record: Record<string, string> = {};
    for (const field of fields) {
      const value = values.text(read(response.body as Record<string, unknown>, field));
      if (value !== undefined) record[field] = value;
    }
    return record as PersonRecord;
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

function read(body: Record<string, unknown>, field: string): unknown {
  const flat = body[field.replaceAll('.', '/')] ?? body[field];
  if (flat !== undefined) return flat;
  let node: unknown = body;
  for (const part of field.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
