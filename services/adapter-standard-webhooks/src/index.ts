export { createStandardWebhooksService, type StandardWebhooksServiceOptions } from './app.ts';
export { standardWebhooksAdapter, system } from './standard-webhooks-adapter.ts';
export { signingKey, verifyStandardSignature } from './verify-standard-signature.ts';
