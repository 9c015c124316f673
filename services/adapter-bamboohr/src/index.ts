export { createBambooHrService, type BambooHrServiceOptions } from './app.ts';
export { bambooHrAdapter, system } from './bamboohr-adapter.ts';
export { verifyBambooHrSignature } from './verify-bamboohr-signature.ts';
