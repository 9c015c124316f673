import { TributaryError } from '@tributary/errors';
import { HttpJsonClient, type Connection } from '@tributary/webhook-kit';
import type { MergeEmployee } from './merge-payload.ts';

/** `GET {base}/api/hris/v1/employees/{id}`, `Authorization: Bearer <api key>`, `X-Account-Token`. */
export class MergeApi {
  readonly #http: HttpJsonClient;

  constructor(connection: Connection) {
    const hydration = connection.hydration!;
    const { apiKey, accountToken } = hydration.credentials;
    this.#http = new HttpJsonClient({
      baseUrl: hydration.baseUrl,
      timeoutMs: hydration.timeoutMs,
      maxAttempts: hydration.maxAttempts,
      requestsPerSecond: hydration.requestsPerSecond,
      headers: {
        authorization: `Bearer ${apiKey!.reveal()}`,
        'x-account-token': accountToken!.reveal(),
      },
    });
  }

  async employee(id: string, signal: AbortSignal): Promise<MergeEmployee> {
    const response = await this.#http.request({
      method: 'GET',
      path: `/api/hris/v1/employees/${encodeURIComponent(id)}`,
      signal,
    });
    const body = response.body as MergeEmployee | undefined;
    if (typeof body !== 'object' || body === null || typeof body.id !== 'string') {
      throw new TributaryError('HYDRATION_REFUSED', 'Merge answered without an employee');
    }
    return body;
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
