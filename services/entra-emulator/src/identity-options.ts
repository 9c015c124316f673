/**
 * Options that point an `@azure/identity` credential at the emulator: its authority host, no
 * instance discovery (that would ask login.microsoftonline.com), and its CA trusted for these
 * calls only (`tlsOptions` reaches the credential's HTTP pipeline). Spread into the credential's
 * options: `new ClientSecretCredential(tenant, client, secret, identityOptionsFor(emulator))`.
 */
export function identityOptionsFor(emulator: { authorityHost: string; caCertPem: string }): {
  authorityHost: string;
  disableInstanceDiscovery: true;
  tlsOptions: { ca: string };
} {
  return {
    authorityHost: emulator.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: emulator.caCertPem },
  };
}
