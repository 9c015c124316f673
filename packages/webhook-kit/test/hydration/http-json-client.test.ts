import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { isTributaryError } from '@tributary/errors';
import { parseRetryAfter, backoffMs } from '../../src/hydration/backoff.ts';
import { HttpJsonClient } from '../../src/hydration/http-json-client.ts';

let server: Server | undefined;

async function serve(
  answers: { status: number; headers?: Record<string, string>; body?: string }[],
) {
  const seen: string[] = [];
  server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`);
    const answer = answers.shift() ?? { status: 500 };
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(answer.body ?? '{}');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

describe('HttpJsonClient', () => {
  it('retries 429 and 5xx honouring Retry-After, then returns the JSON answer', async () => {
    const { baseUrl, seen } = await serve([
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 503 },
      { status: 200, body: '{"id":"7"}' },
    ]);
    const client = new HttpJsonClient({
      baseUrl,
      headers: { authorization: 'Bearer t' },
      backoff: { baseMs: 1, maxMs: 5 },
    });
    const response = await client.request({
      method: 'GET',
      path: '/employees/7',
      query: { fields: 'a,b' },
    });
    expect(response).toEqual({ status: 200, body: { id: '7' } });
    expect(seen).toEqual(Array(3).fill('GET /employees/7?fields=a%2Cb Bearer t'));
    await client.close();
  });

  it('fails fast and permanently on other 4xx', async () => {
    const { baseUrl, seen } = await serve([{ status: 404 }]);
    const client = new HttpJsonClient({ baseUrl });
    const error = await client.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(isTributaryError(error, 'HYDRATION_REFUSED')).toBe(true);
    expect(seen).toHaveLength(1);
    await client.close();
  });

  it('gives up after the last attempt with a retryable failure', async () => {
    const { baseUrl, seen } = await serve([{ status: 500 }, { status: 502 }]);
    const client = new HttpJsonClient({
      baseUrl,
      maxAttempts: 2,
      backoff: { baseMs: 1, maxMs: 1 },
    });
    const error = await client
      .request({ method: 'POST', path: '/x', body: { fields: ['a'] } })
      .catch((e: unknown) => e);
    expect(isTributaryError(error, 'HYDRATION_FAILED') && error.retryable).toBe(true);
    expect(seen).toHaveLength(2);
    await client.close();
  });
});

describe('backoff', () => {
  it('grows exponentially within the cap, with jitter', () => {
    expect(backoffMs(1, { baseMs: 100, maxMs: 1_000 }, () => 1)).toBe(100);
    expect(backoffMs(4, { baseMs: 100, maxMs: 1_000 }, () => 1)).toBe(800);
    expect(backoffMs(9, { baseMs: 100, maxMs: 1_000 }, () => 1)).toBe(1_000);
    expect(backoffMs(9, { baseMs: 100, maxMs: 1_000 }, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
