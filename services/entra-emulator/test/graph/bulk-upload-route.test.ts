import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSign, generateKeyPairSync } from 'node:crypto';
import type { Agent } from 'undici';
import { startEmulator, type EntraEmulator } from '../../src/index.ts';
import {
  agentFor,
  bulkBody,
  bulkUploadUrl,
  call,
  core,
  enterprise,
  jobId,
  otherJobId,
  otherSpId,
  provisioningSpId,
  readerAppId,
  readerSecret,
  tenantId,
  testConfig,
  tokenFor,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';

describe('POST …/synchronization/jobs/{jobId}/bulkUpload', () => {
  let emulator: EntraEmulator;
  let agent: Agent;
  let token: string;

  beforeAll(async () => {
    const config = testConfig({
      bulkUpload: { tooManyOperationsMessage: 'Too many operations in one request (test).' },
    });
    config.tenants[0]!.apps!.push({
      appId: 'c6d3e4f1-6e7f-4a6c-8c9d-1e2f3a4b5c6d',
      displayName: 'log reader only',
      servicePrincipalId: 'd7e4f5a2-7f8a-4b7d-9dae-2f3a4b5c6d7e',
      clientSecrets: [{ value: 'log-reader-secret' }],
      permissions: ['ProvisioningLog.Read.All'],
    });
    emulator = await startEmulator(config);
    agent = agentFor(emulator);
    token = await tokenFor(emulator, agent);
  });

  afterAll(async () => {
    await agent.close();
    await emulator.stop();
  });

  const post = (
    body: string,
    headers: Record<string, string> = {},
    url = bulkUploadUrl(emulator),
  ) =>
    call(agent, url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/scim+json',
        ...headers,
      },
      body,
    });

  it('answers 202 with no body, a Location for the job’s logs and the request ids', async () => {
    const result = await upload(emulator, agent, token, [userOperation('5001')], {
      'client-request-id': 'a7c6e2f0-0000-4000-8000-000000000001',
    });
    expect(result.status).toBe(202);
    expect(result.text).toBe('');
    expect(result.headers['client-request-id']).toBe('a7c6e2f0-0000-4000-8000-000000000001');
    expect(result.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const location = decodeURIComponent(String(result.headers.location));
    expect(location).toBe(
      `${emulator.graphUrl}/v1.0/auditLogs/provisioning/?$filter=jobid eq '${jobId}'`,
    );
    expect(emulator.job(jobId)).toBeDefined();
  });

  it('accepts the beta path too', async () => {
    const result = await post(
      bulkBody([userOperation('5002')]),
      {},
      bulkUploadUrl(emulator, provisioningSpId, jobId, 'beta'),
    );
    expect(result.status).toBe(202);
  });

  it('answers 401 InvalidAuthenticationToken for a missing, forged or garbage token', async () => {
    const missing = await call(agent, bulkUploadUrl(emulator), {
      method: 'POST',
      headers: { 'content-type': 'application/scim+json' },
      body: bulkBody([userOperation('5003')]),
    });
    expect(missing.status).toBe(401);
    expect(missing.json().error).toMatchObject({ code: 'InvalidAuthenticationToken' });
    expect(missing.json().error.innerError).toEqual({
      date: expect.any(String),
      'request-id': expect.any(String),
      'client-request-id': expect.any(String),
    });

    // Same claims, signed by someone else's key.
    const [header, payload] = token.split('.');
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(forger);
    const forged = await post(bulkBody([userOperation('5003')]), {
      authorization: `Bearer ${header}.${payload}.${signature.toString('base64url')}`,
    });
    expect(forged.status).toBe(401);
    expect(forged.json().error.code).toBe('InvalidAuthenticationToken');

    const garbage = await post(bulkBody([userOperation('5003')]), { authorization: 'Bearer abc' });
    expect(garbage.status).toBe(401);
  });

  it('answers 403 without an upload permission, or with .OwnedBy on a job the caller does not own', async () => {
    const notOwned = await post(
      bulkBody([userOperation('5004')]),
      {},
      bulkUploadUrl(emulator, otherSpId, otherJobId),
    );
    expect(notOwned.status).toBe(403);
    expect(notOwned.json().error.code).toBe('Authorization_RequestDenied');

    const readerToken = await tokenFor(emulator, agent, readerAppId, readerSecret);
    const broad = await post(
      bulkBody([userOperation('5004')]),
      { authorization: `Bearer ${readerToken}` },
      bulkUploadUrl(emulator, otherSpId, otherJobId),
    );
    expect(broad.status).toBe(202);

    const logReader = await tokenFor(
      emulator,
      agent,
      'c6d3e4f1-6e7f-4a6c-8c9d-1e2f3a4b5c6d',
      'log-reader-secret',
    );
    const none = await post(bulkBody([userOperation('5004')]), {
      authorization: `Bearer ${logReader}`,
    });
    expect(none.status).toBe(403);
  });

  it('answers 404 for an unknown service principal or job', async () => {
    const sp = await post(
      bulkBody([userOperation('5005')]),
      {},
      bulkUploadUrl(emulator, '00000000-0000-4000-8000-000000000000'),
    );
    expect(sp.status).toBe(404);
    expect(sp.json().error.code).toBe('Request_ResourceNotFound');
    const job = await post(
      bulkBody([userOperation('5005')]),
      {},
      bulkUploadUrl(emulator, provisioningSpId, 'API2AAD.nope'),
    );
    expect(job.status).toBe(404);
  });

  it('answers 400 "Invalid Data Format" without the SCIM content type', async () => {
    for (const contentType of ['application/json', 'text/plain']) {
      const result = await post(bulkBody([userOperation('5006')]), { 'content-type': contentType });
      expect(result.status).toBe(400);
      expect(result.json().error).toMatchObject({
        code: 'BadRequest',
        message: 'Invalid Data Format',
      });
    }
    const withCharset = await post(bulkBody([userOperation('5006')]), {
      'content-type': 'application/scim+json; charset=utf-8',
    });
    expect(withCharset.status).toBe(202);
  });

  it.each([
    ['not JSON', '{"schemas": ['],
    [
      'the wrong schema URN',
      JSON.stringify({ schemas: ['urn:x'], Operations: [userOperation('1')] }),
    ],
    ['no operations', bulkBody([])],
    ['a PATCH', bulkBody([{ ...userOperation('1'), method: 'PATCH' }])],
    ['a path other than /Users', bulkBody([{ ...userOperation('1'), path: '/Groups' }])],
    ['no data', bulkBody([{ method: 'POST', path: '/Users', bulkId: '1' }])],
    [
      'no externalId',
      bulkBody([{ method: 'POST', path: '/Users', data: { schemas: [core, enterprise] } }]),
    ],
    [
      'no enterprise schema',
      bulkBody([{ method: 'POST', path: '/Users', data: { schemas: [core], externalId: '1' } }]),
    ],
    [
      'an extension namespace missing from data.schemas',
      bulkBody([
        userOperation('1', {
          'urn:ietf:params:scim:schemas:extension:acme:1.0:User': { hireDate: '2024-01-01' },
        }),
      ]),
    ],
    ['a non-boolean active', bulkBody([userOperation('1', { active: 'yes' })])],
  ])('answers 400 for %s, naming the problem in details', async (_label, body) => {
    const result = await post(body);
    expect(result.status).toBe(400);
    const error = result.json().error;
    expect(error.message).toBe('Invalid Data Format');
    expect(error.details?.[0]).toMatchObject({
      message: expect.any(String),
      target: expect.any(String),
    });
  });

  it('accepts an extension namespace that data.schemas lists', async () => {
    const ns = 'urn:ietf:params:scim:schemas:extension:acme:1.0:User';
    const operation = userOperation('5007', { [ns]: { hireDate: '2024-01-01' } });
    operation.data.schemas.push(ns);
    expect((await post(bulkBody([operation]))).status).toBe(202);
  });

  it('accepts 50 operations and refuses 51 with the configured message', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => userOperation(`6${i}`));
    expect((await post(bulkBody(fifty))).status).toBe(202);
    const result = await post(bulkBody([...fifty, userOperation('6999')]));
    expect(result.status).toBe(400);
    expect(result.json().error.message).toBe('Too many operations in one request (test).');
  });

  it('records every call for inspection', async () => {
    const records = emulator.bulkRequests();
    expect(records.length).toBeGreaterThan(5);
    expect(records.find((r) => r.status === 202)).toMatchObject({
      tenantId,
      servicePrincipalId: provisioningSpId,
      jobId,
      operations: 1,
    });
    expect(records.some((r) => r.status === 401 && r.tenantId === null)).toBe(true);
    expect(emulator.counters().bulkRequestsByStatus['400']).toBeGreaterThan(0);
  });
});
