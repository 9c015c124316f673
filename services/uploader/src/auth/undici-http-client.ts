import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { request, type Dispatcher } from 'undici';

/**
 * Carries `@azure/identity`'s token requests over undici, so they use the same dispatcher as
 * the Graph calls: one place to configure a private certificate authority (a TLS-inspecting
 * proxy, or the local Entra emulator) and connection limits.
 */
export function undiciHttpClient(dispatcher: Dispatcher): HttpClient {
  return {
    async sendRequest(pipelineRequest: PipelineRequest): Promise<PipelineResponse> {
      const body = pipelineRequest.body;
      if (body !== undefined && body !== null && typeof body !== 'string') {
        // Token requests are form-encoded strings; anything else is not ours to carry.
        throw new TypeError('undiciHttpClient carries string bodies only');
      }
      const response = await request(pipelineRequest.url, {
        method: pipelineRequest.method,
        headers: pipelineRequest.headers.toJSON(),
        body: body ?? null,
        dispatcher,
        ...(pipelineRequest.timeout > 0
          ? { headersTimeout: pipelineRequest.timeout, bodyTimeout: pipelineRequest.timeout }
          : {}),
        ...(pipelineRequest.abortSignal
          ? { signal: pipelineRequest.abortSignal as AbortSignal }
          : {}),
      });
      const headers = createHttpHeaders();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      return {
        request: pipelineRequest,
        status: response.statusCode,
        headers,
        bodyAsText: await response.body.text(),
      };
    },
  };
}
