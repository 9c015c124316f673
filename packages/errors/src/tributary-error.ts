import { errorCodes, type ErrorCode } from './codes.ts';

export interface TributaryErrorOptions {
  cause?: unknown;
  /** Overrides the code's default when this occurrence differs, e.g. a 429 with a known wait. */
  retryable?: boolean;
  /** How long to wait before a retry can help, when the failure said so (Retry-After). */
  retryAfterMs?: number;
  /** Machine-readable facts about the failure. Never personal data or secrets. */
  details?: Record<string, unknown>;
}

/**
 * The one error type Tributary throws on purpose. Its message is meant for operators and must not
 * carry personal data: values from HR payloads go nowhere near it, only paths and codes.
 */
export class TributaryError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: TributaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TributaryError';
    this.code = code;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: this.details }),
    };
  }
}

export function isTributaryError(value: unknown, code?: ErrorCode): value is TributaryError {
  return value instanceof TributaryError && (code === undefined || value.code === code);
}
