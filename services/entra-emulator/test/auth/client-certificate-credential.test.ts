import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ClientCertificateCredential } from '@azure/identity';
import type { Agent } from 'undici';
import { identityOptionsFor, startEmulator, type EntraEmulator } from '../../src/index.ts';
import { createTlsMaterial } from '../../src/tls/certificate-authority.ts';
import {
  agentFor,
  tenantId,
  testConfig,
  upload,
  userOperation,
} from '../support/emulator-fixture.ts';

const scope = 'https://graph.microsoft.com/.default';
const certAppId = 'e29fa0bd-2a3b-4c2e-8e5f-7a8b9c0d1e2f';

describe('token endpoint with the real ClientCertificateCredential', () => {
  // A self-signed certificate serves as the app's credential; only its public half is registered.
  const registered = createTlsMaterial();
  const unregistered = createTlsMaterial();
  let emulator: EntraEmulator;
  let agent: Agent;

  beforeAll(async () => {
    const config = testConfig();
    config.tenants[0]!.apps!.push({
      appId: certAppId,
      displayName: 'certificate app',
      servicePrincipalId: 'f3a0b1ce-3b4c-4d3f-9f6a-8b9c0d1e2f3a',
      certificates: [{ pem: registered.caCertPem }],
      permissions: ['SynchronizationData-User.Upload'],
    });
    emulator = await startEmulator(config);
    agent = agentFor(emulator);
  });

  afterAll(async () => {
    await agent.close();
    await emulator.stop();
  });

  it('accepts an assertion signed by the registered certificate', async () => {
    const credential = new ClientCertificateCredential(
      tenantId,
      certAppId,
      { certificate: `${registered.caCertPem}\n${registered.caKeyPem}` },
      identityOptionsFor(emulator),
    );
    const token = await credential.getToken(scope);
    const result = await upload(emulator, agent, token.token, [userOperation('3001')]);
    expect(result.status).toBe(202);
    expect(emulator.counters().tokensIssued.certificate).toBe(1);
  });

  it('refuses a certificate that is not registered on the app', async () => {
    const credential = new ClientCertificateCredential(
      tenantId,
      certAppId,
      { certificate: `${unregistered.caCertPem}\n${unregistered.caKeyPem}` },
      identityOptionsFor(emulator),
    );
    await expect(credential.getToken(scope)).rejects.toThrow(/AADSTS700027/);
  });
});
