import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { EntraEmulator } from '@tributary/entra-emulator';
import { Secret } from '@tributary/config';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { createCredential } from '../../src/auth/credentials.ts';
import { IdentityTokenSource } from '../../src/auth/token-source.ts';
import { BulkClient } from '../../src/graph/bulk-client.ts';
import { bulkRequestBody, bulkRequestSchema } from '../../src/graph/bulk-request.ts';
import { compileMapping, serializeUser, type ScimUser } from '../../src/mapping/index.ts';
import { ids, startEntra } from '../support/entra.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server on port 0 that answers each request with the next scripted answer. */
let server: Server;
let baseUrl: string;
let answers: Answer[] = [];
const seen: Seen[] = [];

let emulator: EntraEmulator;
let tokens: IdentityTokenSource;

const mapper = compileMapping(undefined, '/test');
const users: ScimUser[] = Array.from({ length: 50 }, (_, n) => {
  const mapped = mapper.map(sampleWorkerEvent({ employeeId: `B${n}` }));
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.user;
});
const operations = users.map((user) => ({ externalId: user.externalId, ...serializeUser(user) }));

function tokensIssued(): number {
  return Object.values(emulator.counters().tokensIssued).reduce((sum, n) => sum + n, 0);
}

function client(now?: () => number): BulkClient {
  return new BulkClient({
    target: {
      graphBaseUrl: baseUrl,
      apiVersion: 'v1.0',
      servicePrincipalId: ids.servicePrincipalId,
      jobId: ids.jobId,
    },
    tokens,
    timeoutMs: 5_000,
    ...(now ? { now } : {}),
  });
}

function status(code: number, headers: Record<string, string> = {}, body?: object): Answer {
  return (_request, response) => {
    response.writeHead(code, { 'content-type': 'application/json', ...headers });
    response.end(body === undefined ? '' : JSON.stringify(body));
  };
}

const graphError = (code: string, message: string) => ({ error: { code, message } });

beforeAll(async () => {
  emulator = await startEntra();
  tokens = new IdentityTokenSource(() =>
    createCredential(
      { kind: 'clientSecret', clientId: ids.appId, secret: new Secret(ids.secret) },
      { tenantId: ids.tenantId, authorityHost: emulator.authorityHost, ca: emulator.caCertPem },
    ),
  );
  await tokens.getToken(false);

  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answers.shift() ?? status(500, {}, graphError('NoScript', 'no answer left'));
      answer(request, response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator.stop();
});

beforeEach(() => {
  answers = [];
  seen.length = 0;
});

describe('BulkClient against a real HTTP server', () => {
  test('a 202 is accepted; the request is a SCIM BulkRequest with the ids Graph expects', async () => {
    answers = [status(202, { 'request-id': 'graph-request-1' })];
    const body = bulkRequestBody(operations);

    const outcome = await client().upload(body, 'client-request-1');

    expect(outcome).toEqual({
      kind: 'accepted',
      status: 202,
      requestId: 'graph-request-1',
      clientRequestId: 'client-request-1',
    });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(
      `/v1.0/servicePrincipals/${ids.servicePrincipalId}/synchronization/jobs/${ids.jobId}/bulkUpload`,
    );
    expect(request!.headers['content-type']).toBe('application/scim+json');
    expect(request!.headers['client-request-id']).toBe('client-request-1');
    expect(request!.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const sent = JSON.parse(request!.body) as {
      schemas: string[];
      Operations: { method: string; path: string; bulkId: string; data: ScimUser }[];
    };
    expect(sent.schemas).toEqual([bulkRequestSchema]);
    expect(sent.Operations.length).toBeLessThanOrEqual(50);
    expect(sent.Operations.map((op) => op.data.externalId)).toEqual(
      users.map((user) => user.externalId),
    );
    for (const op of sent.Operations) {
      expect(op).toMatchObject({ method: 'POST', path: '/Users', bulkId: op.data.externalId });
    }
  });

  test('a request without a client-request-id gets a fresh one', async () => {
    answers = [status(202), status(202)];
    await client().upload(bulkRequestBody(operations.slice(0, 1)));
    await client().upload(bulkRequestBody(operations.slice(0, 1)));
    const idsSent = seen.map((request) => request.headers['client-request-id']);
    expect(idsSent[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(idsSent[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(idsSent[0]).not.toBe(idsSent[1]);
  });

  test('a 401 gets exactly one fresh token from the real credential, then succeeds', async () => {
    const before = tokensIssued();
    answers = [
      status(401, {}, graphError('InvalidAuthenticationToken', 'Access token has expired.')),
      status(202),
    ];

    const outcome = await client().upload(bulkRequestBody(operations.slice(0, 2)), 'after-401');

    expect(outcome.kind).toBe('accepted');
    expect(tokensIssued() - before).toBe(1);
    expect(seen).toHaveLength(2);
    // The retry is the same request: same body, same client-request-id.
    expect(seen[1]!.body).toBe(seen[0]!.body);
    expect(seen[1]!.headers['client-request-id']).toBe('after-401');
  });

  test('a second 401 is retry, after exactly one fresh token and no third call', async () => {
    const before = tokensIssued();
    const expired = graphError('InvalidAuthenticationToken', 'Access token has expired.');
    answers = [status(401, {}, expired), status(401, {}, expired), status(202)];

    const outcome = await client().upload(bulkRequestBody(operations.slice(0, 2)));

    expect(outcome).toMatchObject({
      kind: 'retry',
      status: 401,
      code: 'InvalidAuthenticationToken',
    });
    expect(tokensIssued() - before).toBe(1);
    expect(seen).toHaveLength(2);
  });

  test('429 with Retry-After in seconds', async () => {
    answers = [status(429, { 'retry-after': '7' }, graphError('TooManyRequests', 'slow down'))];
    const outcome = await client().upload(bulkRequestBody(operations.slice(0, 1)));
    expect(outcome).toEqual({
      kind: 'retry',
      status: 429,
      retryAfterMs: 7_000,
      code: 'TooManyRequests',
      message: 'slow down',
    });
  });

  test('429 with Retry-After as an HTTP date', async () => {
    const at = Date.parse('2026-12-01T09:00:30Z');
    answers = [status(429, { 'retry-after': new Date(at).toUTCString() })];
    const outcome = await client(() => at - 12_000).upload(bulkRequestBody(operations.slice(0, 1)));
    expect(outcome).toMatchObject({ kind: 'retry', status: 429, retryAfterMs: 12_000 });
  });

  test('429 without Retry-After leaves the wait to the caller', async () => {
    answers = [status(429, {}, graphError('TooManyRequests', 'slow down'))];
    const outcome = await client().upload(bulkRequestBody(operations.slice(0, 1)));
    expect(outcome).toMatchObject({ kind: 'retry', status: 429, retryAfterMs: undefined });
  });

  test('503 with Retry-After and 500 without are retry', async () => {
    answers = [
      status(503, { 'retry-after': '2' }, graphError('serviceNotAvailable', 'down')),
      status(500, {}, graphError('generalException', 'boom')),
    ];
    expect(await client().upload(bulkRequestBody(operations.slice(0, 1)))).toMatchObject({
      kind: 'retry',
      status: 503,
      retryAfterMs: 2_000,
    });
    expect(await client().upload(bulkRequestBody(operations.slice(0, 1)))).toMatchObject({
      kind: 'retry',
      status: 500,
      retryAfterMs: undefined,
      code: 'generalException',
    });
  });

  test('400 is rejected, with Graph’s code and message', async () => {
    answers = [status(400, {}, graphError('BadRequest', 'Invalid Data Format'))];
    const outcome = await client().upload(bulkRequestBody(operations.slice(0, 3)));
    expect(outcome).toEqual({
      kind: 'rejected',
      status: 400,
      code: 'BadRequest',
      message: 'Invalid Data Format',
    });
  });

  test('403 and 404 are misconfigured, not retried here', async () => {
    answers = [
      status(403, {}, graphError('Authorization_RequestDenied', 'Insufficient privileges')),
      status(404, {}, graphError('Request_ResourceNotFound', 'no such service principal')),
    ];
    expect(await client().upload(bulkRequestBody(operations.slice(0, 1)))).toMatchObject({
      kind: 'misconfigured',
      status: 403,
      code: 'Authorization_RequestDenied',
    });
    expect(await client().upload(bulkRequestBody(operations.slice(0, 1)))).toMatchObject({
      kind: 'misconfigured',
      status: 404,
      code: 'Request_ResourceNotFound',
    });
    expect(seen).toHaveLength(2);
  });

  test('a body that is not Graph’s error shape still gives a code', async () => {
    answers = [
      (_request, response) => {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html>bad gateway</html>');
      },
    ];
    expect(await client().upload(bulkRequestBody(operations.slice(0, 1)))).toMatchObject({
      kind: 'retry',
      status: 502,
      code: 'Http502',
    });
  });

  test('a dropped connection is retry, and nothing is sent twice', async () => {
    answers = [(request) => request.socket.destroy()];
    const outcome = await client().upload(bulkRequestBody(operations.slice(0, 1)));
    expect(outcome).toMatchObject({ kind: 'retry', status: 0, retryAfterMs: undefined });
    expect(seen).toHaveLength(1);
  });

  test('a server that never answers is retry after the timeout', async () => {
    answers = [() => {}];
    const slow = new BulkClient({
      target: {
        graphBaseUrl: baseUrl,
        apiVersion: 'beta',
        servicePrincipalId: ids.servicePrincipalId,
        jobId: ids.jobId,
      },
      tokens,
      timeoutMs: 300,
    });
    const outcome = await slow.upload(bulkRequestBody(operations.slice(0, 1)));
    expect(outcome).toMatchObject({ kind: 'retry', status: 0 });
    expect(seen[0]!.url).toMatch(/^\/beta\//);
    server.closeAllConnections();
  });
});
