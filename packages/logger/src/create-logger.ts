import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { censorPersonalData } from './redaction.ts';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  /** Becomes the `service` field of every line. */
  service: string;
  level?: LoggerOptions['level'];
  /** Where lines go; standard output by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
  /** Extra fields on every line, such as the instance id. */
  base?: Record<string, unknown>;
}

/**
 * Structured JSON logs, one object per line, object first and a short constant message second.
 * Level names rather than numbers, so a log pipeline can filter without a lookup table.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const logger = pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { service: options.service, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: censorPersonalData,
        log: censorPersonalData,
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
  // pino applies the bindings formatter to the root only; children (and theirs, which inherit
  // this method) get their bindings censored here.
  const child = logger.child;
  logger.child = function censoredChild(this: Logger, bindings, childOptions) {
    return child.call(this, censorPersonalData(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
