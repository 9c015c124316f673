import { TributaryError } from '@tributary/errors';

/**
 * Turns values into record bytes and back, validating on both sides: a producer cannot publish
 * what a consumer would refuse, and a consumer reports a malformed record instead of crashing.
 */
export interface Codec<T> {
  encode(value: T): Buffer;
  /** Throws `MESSAGE_UNDECODABLE` or `MESSAGE_INVALID`; never returns an unchecked value. */
  decode(bytes: Buffer | null): T;
}

export type Check<T> = (value: unknown) => { ok: true; value: T } | { ok: false; reason: string };

export function jsonCodec<T>(name: string, check: Check<T>): Codec<T> {
  return {
    encode(value) {
      const result = check(value);
      if (!result.ok) {
        throw new TributaryError(
          'MESSAGE_INVALID',
          `refusing to produce an invalid ${name}: ${result.reason}`,
        );
      }
      return Buffer.from(JSON.stringify(value));
    },
    decode(bytes) {
      if (bytes === null || bytes.length === 0) {
        throw new TributaryError('MESSAGE_UNDECODABLE', `${name}: empty record value`);
      }
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8'));
      } catch (cause) {
        throw new TributaryError('MESSAGE_UNDECODABLE', `${name}: record value is not JSON`, {
          cause,
        });
      }
      const result = check(value);
      if (!result.ok) throw new TributaryError('MESSAGE_INVALID', `${name}: ${result.reason}`);
      return result.value;
    },
  };
}
