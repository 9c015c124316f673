import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ClientAssertionCredential } from '@azure/identity';
import type { Agent } from 'undici';
import { identityOptionsFor, startEmulator, type EntraEmulator } from '../../src/index.ts';
import {
  agentFor,
  tenantId,
  testConfig,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';

const scope = 'https://graph.microsoft.com/.default';
const federatedAppId = 'a4b1c2df-4c5d-4e4a-8a7b-9c0d1e2f3a4b';
const issuer = 'https://oidc.cluster.test/tributary';
const subject = 'system:serviceaccount:tributary:uploader';

/** What a workload's identity provider (a Kubernetes cluster, a CI system) would hand out. */
function workloadToken(key: KeyObject, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'cluster-key' })}.${encode({
    iss: issuer,
    sub: subject,
    aud: 'api://AzureADTokenExchange',
    iat: now,
    nbf: now,
    exp: now + 600,
    ...claims,
  })}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

describe('token endpoint with the real ClientAssertionCredential (workload identity federation)', () => {
  const issuerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forgerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let emulator: EntraEmulator;
  let agent: Agent;

  beforeAll(async () => {
    const config = testConfig();
    config.tenants[0]!.apps!.push({
      appId: federatedAppId,
      displayName: 'federated app',
      servicePrincipalId: 'b5c2d3e0-5d6e-4f5b-9b8c-0d1e2f3a4b5c',
      federatedCredentials: [
        {
          issuer,
          subject,
          publicKeys: [
            { pem: issuerKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
          ],
        },
      ],
      permissions: ['SynchronizationData-User.Upload'],
    });
    emulator = await startEmulator(config);
    agent = agentFor(emulator);
  });

  afterAll(async () => {
    await agent.close();
    await emulator.stop();
  });

  const credential = (assertion: () => string) =>
    new ClientAssertionCredential(
      tenantId,
      federatedAppId,
      async () => assertion(),
      identityOptionsFor(emulator),
    );

  it('exchanges a trusted issuer’s token for a Graph token', async () => {
    const token = await credential(() => workloadToken(issuerKeys.privateKey)).getToken(scope);
    const result = await upload(emulator, agent, token.token, [userOperation('4001')]);
    expect(result.status).toBe(202);
    expect(emulator.counters().tokensIssued.federated).toBe(1);
  });

  it('refuses a forged signature', async () => {
    await expect(
      credential(() => workloadToken(forgerKeys.privateKey)).getToken(scope),
    ).rejects.toThrow(/AADSTS700213/);
  });

  it('refuses the wrong audience, an unknown subject and an expired assertion', async () => {
    await expect(
      credential(() => workloadToken(issuerKeys.privateKey, { aud: 'api://elsewhere' })).getToken(
        scope,
      ),
    ).rejects.toThrow(/AADSTS700212/);
    await expect(
      credential(() =>
        workloadToken(issuerKeys.privateKey, { sub: 'system:serviceaccount:x:y' }),
      ).getToken(scope),
    ).rejects.toThrow(/AADSTS70021/);
    const past = Math.floor(Date.now() / 1000) - 7200;
    await expect(
      credential(() =>
        workloadToken(issuerKeys.privateKey, { iat: past, nbf: past, exp: past + 600 }),
      ).getToken(scope),
    ).rejects.toThrow(/AADSTS700024/);
  });
});
