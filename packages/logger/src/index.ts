export { createLogger, type CreateLoggerOptions, type Logger } from './create-logger.ts';
export { censor, censorPersonalData } from './redaction.ts';
export { workerRef } from './worker-ref.ts';
