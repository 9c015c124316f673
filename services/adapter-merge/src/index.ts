export { createMergeService, type MergeServiceOptions } from './app.ts';
export { mergeAdapter, system } from './merge-adapter.ts';
export { verifyMergeSignature } from './verify-merge-signature.ts';
