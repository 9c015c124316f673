import { describe, expect, it } from '@jest/globals';
import { Secret } from '@tributary/config';
import { verifyBambooHrSignature } from '../src/verify-bamboohr-signature.ts';
import { bambooHeaders } from './fixtures/sign.ts';

const body = Buffer.from('{"type":"employee.updated","data":{"employeeId":"1"}}');
const secrets = [new Secret('old'), new Secret('new')];

describe('verifyBambooHrSignature', () => {
  it('accepts hex HMAC-SHA256 over body then timestamp, with any active key', () => {
    const headers = bambooHeaders('new', body.toString(), { timestamp: '1658248023' });
    expect(verifyBambooHrSignature({ headers, rawBody: body }, secrets)).toEqual({
      ok: true,
      signedAt: new Date(1_658_248_023_000),
    });
    const upper = {
      ...headers,
      'x-bamboohr-signature': headers['x-bamboohr-signature']!.toUpperCase(),
    };
    expect(verifyBambooHrSignature({ headers: upper, rawBody: body }, secrets).ok).toBe(true);
  });

  it('signs the timestamp verbatim, ISO 8601 included', () => {
    const headers = bambooHeaders('old', body.toString(), {
      timestamp: '2026-01-31T18:42:00+0000',
    });
    const result = verifyBambooHrSignature({ headers, rawBody: body }, secrets);
    expect(result).toEqual({ ok: true, signedAt: new Date('2026-01-31T18:42:00Z') });
  });

  it('refuses a separator between body and timestamp, other keys, altered bodies and missing headers', () => {
    const timestamp = '1658248023';
    const dotted = bambooHeaders('new', `${body.toString()}.`, { timestamp });
    expect(verifyBambooHrSignature({ headers: dotted, rawBody: body }, secrets)).toEqual({
      ok: false,
      reason: 'signature_invalid',
    });
    const other = bambooHeaders('other', body.toString(), { timestamp });
    expect(verifyBambooHrSignature({ headers: other, rawBody: body }, secrets).ok).toBe(false);
    const good = bambooHeaders('new', body.toString(), { timestamp });
    expect(
      verifyBambooHrSignature({ headers: good, rawBody: Buffer.from(`${body} `) }, secrets).ok,
    ).toBe(false);
    expect(
      verifyBambooHrSignature(
        { headers: { 'x-bamboohr-timestamp': timestamp }, rawBody: body },
        secrets,
      ),
    ).toEqual({
      ok: false,
      reason: 'signature_missing',
    });
    const unreadable = { ...good, 'x-bamboohr-timestamp': 'yesterday' };
    expect(verifyBambooHrSignature({ headers: unreadable, rawBody: body }, secrets)).toEqual({
      ok: false,
      reason: 'timestamp_invalid',
    });
  });
});
