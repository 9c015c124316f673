/**
 * The secrets of the local pipeline. Public on purpose: they protect nothing but a laptop's
 * loopback services, and the local connection files and the emulator's configuration name the
 * same values. Anything set in the environment wins.
 */
export const localSecrets: Record<string, string> = {
  ENTRA_EMULATOR_CLIENT_SECRET: 'tributary-local-not-a-secret',
  ENTRA_CLIENT_SECRET: 'tributary-local-not-a-secret',
  BAMBOOHR_WEBHOOK_KEY: 'local-bamboohr-key',
  BAMBOOHR_API_KEY: 'local-api-key',
  HIBOB_WEBHOOK_SECRET: 'local-hibob-secret',
  HIBOB_SERVICE_USER_ID: 'SERVICE-1',
  HIBOB_SERVICE_USER_TOKEN: 'local-token',
  MERGE_SIGNATURE_KEY: 'local-merge-key',
  MERGE_API_KEY: 'local-api-key',
  MERGE_ACCOUNT_TOKEN: 'local-account-token',
  STANDARD_WEBHOOKS_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  TRIBUTARY_HASH_KEY: 'tributary-local-hash-key',
};
