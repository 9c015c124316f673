import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { TokenCredential } from '@azure/core-auth';
import type { EntraEmulator } from '@tributary/entra-emulator';
import { Secret } from '@tributary/config';
import { createCredential } from '../../src/auth/credentials.ts';
import { graphScope } from '../../src/auth/graph-scope.ts';
import { IdentityTokenSource } from '../../src/auth/token-source.ts';
import { ids, startEntra } from '../support/entra.ts';

let emulator: EntraEmulator;

beforeAll(async () => {
  emulator = await startEntra();
});

afterAll(async () => {
  await emulator.stop();
});

/** The real client-secret credential against the emulator, counting what it is asked. */
function countingCredential(): { create: () => TokenCredential; asked: () => number } {
  let asked = 0;
  const create = (): TokenCredential => {
    const credential = createCredential(
      { kind: 'clientSecret', clientId: ids.appId, secret: new Secret(ids.secret) },
      { tenantId: ids.tenantId, authorityHost: emulator.authorityHost, ca: emulator.caCertPem },
    );
    return {
      getToken: (scopes, options) => {
        asked += 1;
        return credential.getToken(scopes, options);
      },
    };
  };
  return { create, asked: () => asked };
}

describe('IdentityTokenSource', () => {
  test('holds a token until shortly before it expires, then asks the credential', async () => {
    let now = Date.now();
    const { create, asked } = countingCredential();
    const tokens = new IdentityTokenSource(create, graphScope, {}, () => now);

    const first = await tokens.getToken(false);
    for (let call = 0; call < 20; call++) expect(await tokens.getToken(false)).toBe(first);
    expect(asked()).toBe(1);
    expect(tokens.obtained).toBe(true);

    // The emulator's tokens live an hour; within two minutes of the end the held one is not used.
    now += 59 * 60_000;
    await tokens.getToken(false);
    expect(asked()).toBe(2);
  });

  test('a fresh token comes from a new credential, never from the one held', async () => {
    const issued = () => Object.values(emulator.counters().tokensIssued).reduce((a, b) => a + b, 0);
    const { create, asked } = countingCredential();
    const tokens = new IdentityTokenSource(create);
    await tokens.getToken(false);
    const before = issued();

    await tokens.getToken(true);

    expect(asked()).toBe(2);
    expect(issued() - before).toBe(1);
  });

  test('a credential failure rejects and is reported, and nothing is held', async () => {
    const failures: unknown[] = [];
    const tokens = new IdentityTokenSource(
      () =>
        createCredential(
          { kind: 'clientSecret', clientId: ids.appId, secret: new Secret('not-the-secret') },
          { tenantId: ids.tenantId, authorityHost: emulator.authorityHost, ca: emulator.caCertPem },
        ),
      graphScope,
      { onFailure: (error) => failures.push(error) },
    );
    await expect(tokens.getToken(false)).rejects.toThrow();
    expect(failures).toHaveLength(1);
    expect(tokens.obtained).toBe(false);
  });
});
