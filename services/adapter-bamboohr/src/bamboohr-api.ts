import { HttpJsonClient, values, type Connection } from '@tributary/webhook-kit';
import { TributaryError } from '@tributary/errors';

/** The fields an employee snapshot needs; unauthorised ones are silently omitted by BambooHR. */
export const employeeFields = [
  'employeeNumber',
  'firstName',
  'middleName',
  'lastName',
  'preferredName',
  'displayName',
  'workEmail',
  'homeEmail',
  'workPhone',
  'mobilePhone',
  'jobTitle',
  'department',
  'division',
  'location',
  'country',
  'status',
  'employmentHistoryStatus',
  'hireDate',
  'originalHireDate',
  'terminationDate',
  'supervisorEId',
  'supervisorEmail',
  'lastChanged',
] as const;

/** An employee as BambooHR returns it: the id plus each requested field, as text or null. */
export type EmployeeRecord = { id: string } & Partial<
  Record<(typeof employeeFields)[number], string | null>
>;

/**
 * `GET {base}/api/gateway.php/{companyDomain}/v1/employees/{id}/?fields=...`, HTTP Basic with the
 * API key as user name and `x` as password.
 */
export class BambooHrApi {
  readonly #http: HttpJsonClient;
  readonly #companyDomain: string;

  constructor(connection: Connection) {
    const hydration = connection.hydration!;
    const option = connection.options['companyDomain'];
    this.#companyDomain = typeof option === 'string' ? option : connection.tenantId;
    this.#http = new HttpJsonClient({
      baseUrl: hydration.baseUrl,
      timeoutMs: hydration.timeoutMs,
      maxAttempts: hydration.maxAttempts,
      requestsPerSecond: hydration.requestsPerSecond,
      headers: { authorization: values.basicAuth(hydration.credentials['apiKey']!.reveal(), 'x') },
    });
  }

  async employee(
    id: string,
    signal: AbortSignal,
    fields: readonly string[] = employeeFields,
  ): Promise<EmployeeRecord> {
    const response = await this.#http.request({
      method: 'GET',
      path: `/api/gateway.php/${encodeURIComponent(this.#companyDomain)}/v1/employees/${encodeURIComponent(id)}/`,
      query: { fields: fields.join(',') },
      signal,
    });
    const body = response.body as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null || body['id'] === undefined) {
      throw new TributaryError('HYDRATION_REFUSED', 'BambooHR answered without an employee');
    }
    const record: Record<string, string | null> = { id: String(body['id']) };
    for (const field of fields) {
      const value = body[field];
      if (value !== undefined) record[field] = value === null ? null : String(value);
    }
    return record as EmployeeRecord;
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
