import { describe, expect, it } from '@jest/globals';
import { decodeSignature, digestsEqual, hmac } from '../../src/verify/constant-time.ts';

describe('constant-time signature helpers', () => {
  it('computes an HMAC over the parts in order, without separators', () => {
    const whole = hmac('sha256', 'k', ['body1700000000']);
    expect(hmac('sha256', 'k', ['body', '1700000000']).equals(whole)).toBe(true);
  });

  it('compares digests of different lengths as unequal instead of throwing', () => {
    const digest = hmac('sha256', 'k', ['x']);
    expect(digestsEqual(digest, digest.subarray(0, 16))).toBe(false);
    expect(digestsEqual(digest, Buffer.from(digest))).toBe(true);
  });

  it('decodes only well-formed signatures', () => {
    expect(decodeSignature('0aff', 'hex')).toEqual(Buffer.from([0x0a, 0xff]));
    expect(decodeSignature('0afg', 'hex')).toBeUndefined();
    expect(decodeSignature('abc', 'hex')).toBeUndefined();
    expect(decodeSignature('q83v', 'base64')).toEqual(Buffer.from([0xab, 0xcd, 0xef]));
    expect(decodeSignature('q83v!', 'base64')).toBeUndefined();
    expect(decodeSignature('-_8', 'base64url')).toEqual(Buffer.from('-_8', 'base64url'));
    expect(decodeSignature('x'.repeat(2000), 'base64')).toBeUndefined();
  });
});
