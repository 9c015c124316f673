import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClientSecretCredential } from '@azure/identity';
import type { Agent } from 'undici';
import { identityOptionsFor, startEmulator, type EntraEmulator } from '../../src/index.ts';
import {
  agentFor,
  call,
  tenantId,
  testConfig,
  upload,
  uploaderAppId,
  uploaderSecret,
  uploaderSpId,
  userOperation,
} from '../support/emulator-fixture.ts';

const scope = 'https://graph.microsoft.com/.default';

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

describe('token endpoint with the real ClientSecretCredential', () => {
  let emulator: EntraEmulator;
  let agent: Agent;

  beforeAll(async () => {
    emulator = await startEmulator(testConfig());
    agent = agentFor(emulator);
  });

  afterAll(async () => {
    await agent.close();
    await emulator.stop();
  });

  it('issues a Graph token the bulkUpload endpoint accepts', async () => {
    const credential = new ClientSecretCredential(
      tenantId,
      uploaderAppId,
      uploaderSecret,
      identityOptionsFor(emulator),
    );
    const token = await credential.getToken(scope);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());

    const claims = decode(token.token);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: tenantId,
      appid: uploaderAppId,
      azp: uploaderAppId,
      oid: uploaderSpId,
      roles: expect.arrayContaining(['SynchronizationData-User.Upload.OwnedBy']),
    });
    const header = JSON.parse(Buffer.from(token.token.split('.')[0]!, 'base64url').toString());
    expect(header.alg).toBe('RS256');

    const result = await upload(emulator, agent, token.token, [userOperation('1001')]);
    expect(result.status).toBe(202);
  });

  it('rejects a wrong secret with AADSTS7000215 invalid_client', async () => {
    const credential = new ClientSecretCredential(
      tenantId,
      uploaderAppId,
      'not-the-secret',
      identityOptionsFor(emulator),
    );
    await expect(credential.getToken(scope)).rejects.toThrow(/AADSTS7000215/);

    const raw = await call(agent, `${emulator.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${uploaderAppId}&client_secret=nope&scope=${encodeURIComponent(scope)}`,
    });
    expect(raw.status).toBe(401);
    expect(raw.json()).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect(raw.text).not.toContain(uploaderSecret);
  });

  it('rejects an unknown client with AADSTS700016 and an unknown tenant with AADSTS90002', async () => {
    const unknownApp = new ClientSecretCredential(
      tenantId,
      '11111111-2222-4333-8444-555555555555',
      'x',
      identityOptionsFor(emulator),
    );
    await expect(unknownApp.getToken(scope)).rejects.toThrow(/AADSTS700016/);

    const raw = await call(agent, `${emulator.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=nobody&client_secret=x&scope=${encodeURIComponent(scope)}`,
    });
    expect(raw.status).toBe(400);
    expect(raw.json()).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });

    const badTenant = await call(
      agent,
      `${emulator.authorityHost}/no-such-tenant/v2.0/.well-known/openid-configuration`,
    );
    expect(badTenant.status).toBe(400);
    expect(badTenant.json().error_codes).toEqual([90002]);
  });

  it('refuses a scope other than Graph .default', async () => {
    const raw = await call(agent, `${emulator.authorityHost}/${tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${uploaderAppId}&client_secret=${uploaderSecret}&scope=SynchronizationData-User.Upload.OwnedBy`,
    });
    expect(raw.status).toBe(400);
    expect(raw.json().error).toBe('invalid_scope');
  });
});

describe('token refresh after expiry', () => {
  it('hands out a new token once the short-lived one has expired, and Graph takes it', async () => {
    const emulator = await startEmulator(testConfig({ tokens: { lifetimeSeconds: 1 } }));
    const agent = agentFor(emulator);
    try {
      const credential = new ClientSecretCredential(
        tenantId,
        uploaderAppId,
        uploaderSecret,
        identityOptionsFor(emulator),
      );
      const first = await credential.getToken(scope);

      // Wait for the condition itself: Graph refusing the first token as expired.
      let refused;
      for (;;) {
        refused = await upload(emulator, agent, first.token, [userOperation('2001')]);
        if (refused.status !== 202) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(refused.status).toBe(401);
      expect(refused.json().error.code).toBe('InvalidAuthenticationToken');
      expect(refused.json().error.message).toMatch(/expired/);

      const second = await credential.getToken(scope);
      expect(second.token).not.toBe(first.token);
      const accepted = await upload(emulator, agent, second.token, [userOperation('2001')]);
      expect(accepted.status).toBe(202);
      expect(emulator.counters().tokensIssued.secret).toBeGreaterThanOrEqual(2);
    } finally {
      await agent.close();
      await emulator.stop();
    }
  });
});
