import { describe, expect, test } from '@jest/globals';
import { TributaryError, errorCodes, isTributaryError } from '@tributary/errors';

describe('TributaryError', () => {
  test('takes the retry hint of its code unless the occurrence overrides it', () => {
    const unavailable = new TributaryError('KAFKA_UNAVAILABLE', 'no broker answered');
    const invalid = new TributaryError('EVENT_INVALID', 'bad event');
    const overridden = new TributaryError('KAFKA_SEND_FAILED', 'fatal', { retryable: false });

    expect(unavailable.retryable).toBe(errorCodes.KAFKA_UNAVAILABLE.retryable);
    expect(invalid.retryable).toBe(false);
    expect(overridden.retryable).toBe(false);
  });

  test('keeps the native cause and serialises without it', () => {
    const root = new Error('socket hang up');
    const error = new TributaryError('KAFKA_SEND_FAILED', 'send failed', {
      cause: root,
      retryAfterMs: 500,
      details: { topic: 'tributary.worker-events.v1' },
    });

    expect(error.cause).toBe(root);
    expect(error.toJSON()).toEqual({
      code: 'KAFKA_SEND_FAILED',
      message: 'send failed',
      retryable: true,
      retryAfterMs: 500,
      details: { topic: 'tributary.worker-events.v1' },
    });
    expect(isTributaryError(error, 'KAFKA_SEND_FAILED')).toBe(true);
    expect(isTributaryError(error, 'EVENT_INVALID')).toBe(false);
    expect(isTributaryError(root)).toBe(false);
  });
});
