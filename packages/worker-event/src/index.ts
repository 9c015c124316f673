export { workerEventSchema } from './schema.ts';
export {
  assertWorkerEvent,
  formatProblems,
  validateWorkerEvent,
  type Problem,
  type Validation,
} from './validate.ts';
export { idempotencyKey, newEventId, workerKey } from './identity.ts';
export * from './types.ts';
