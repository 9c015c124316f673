import { TributaryError } from '@tributary/errors';
import type { Worker } from '@tributary/worker-event';
import { HttpJsonClient, payloadValidator, type Connection } from '@tributary/webhook-kit';
import { workerEventSchema } from '@tributary/worker-event';

const canonical = (workerEventSchema as unknown as { properties: Record<string, object> })
  .properties;
const checkWorker = payloadValidator<Worker>(canonical.worker!);

/**
 * Reads one canonical worker from an in-house HR system's API: `GET {baseUrl}{workerPath}` with
 * `{employeeId}` substituted, bearer-authenticated when the connection has a `token` credential.
 */
export class WorkerApiClient {
  readonly #http: HttpJsonClient;
  readonly #path: string;

  constructor(connection: Connection) {
    const hydration = connection.hydration!;
    const token = hydration.credentials['token'];
    this.#path =
      typeof connection.options['workerPath'] === 'string'
        ? connection.options['workerPath']
        : '/workers/{employeeId}';
    this.#http = new HttpJsonClient({
      baseUrl: hydration.baseUrl,
      timeoutMs: hydration.timeoutMs,
      maxAttempts: hydration.maxAttempts,
      requestsPerSecond: hydration.requestsPerSecond,
      ...(token ? { headers: { authorization: `Bearer ${token.reveal()}` } } : {}),
    });
  }

  async worker(employeeId: string, signal: AbortSignal): Promise<Worker> {
    const path = this.#path.replace('{employeeId}', encodeURIComponent(employeeId));
    const response = await this.#http.request({ method: 'GET', path, route: this.#path, signal });
    const checked = checkWorker(response.body);
    if (!checked.ok) {
      throw new TributaryError(
        'HYDRATION_REFUSED',
        `the worker API answered an invalid worker: ${checked.reason}`,
      );
    }
    if (checked.payload.employeeId !== employeeId) {
      throw new TributaryError('HYDRATION_REFUSED', 'the worker API answered another worker');
    }
    return checked.payload;
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
