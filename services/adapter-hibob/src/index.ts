export { createHiBobService, type HiBobServiceOptions } from './app.ts';
export { hiBobAdapter, system } from './hibob-adapter.ts';
export { isHiBobPing, verifyHiBobSignature } from './verify-hibob-signature.ts';
