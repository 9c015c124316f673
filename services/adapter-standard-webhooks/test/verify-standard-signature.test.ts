import { describe, expect, it } from '@jest/globals';
import { Secret } from '@tributary/config';
import { verifyStandardSignature } from '../src/verify-standard-signature.ts';
import { newSecret, signedHeaders } from './fixtures/sign.ts';

describe('verifyStandardSignature (signatures made by the standardwebhooks package)', () => {
  const secret = newSecret();
  const body = '{"type":"worker.updated"}';
  const at = new Date('2026-03-01T10:15:30Z');

  it('accepts the reference signature and reports id and timestamp', () => {
    const headers = signedHeaders(secret, body, { id: 'msg_1', at });
    expect(
      verifyStandardSignature({ headers, rawBody: Buffer.from(body) }, [new Secret(secret)]),
    ).toEqual({
      ok: true,
      deliveryId: 'msg_1',
      signedAt: at,
    });
  });

  it('finds a match among several signatures and several secrets', () => {
    const headers = signedHeaders(secret, body, { id: 'msg_2', at });
    headers['webhook-signature'] = `v1,AAAA v2,zzz ${headers['webhook-signature']}`;
    const result = verifyStandardSignature({ headers, rawBody: Buffer.from(body) }, [
      new Secret(newSecret()),
      new Secret(secret),
    ]);
    expect(result.ok).toBe(true);
  });

  it('refuses another id, timestamp or body under the same signature', () => {
    const headers = signedHeaders(secret, body, { id: 'msg_3', at });
    const secrets = [new Secret(secret)];
    expect(
      verifyStandardSignature(
        { headers: { ...headers, 'webhook-id': 'msg_4' }, rawBody: Buffer.from(body) },
        secrets,
      ).ok,
    ).toBe(false);
    expect(
      verifyStandardSignature(
        { headers: { ...headers, 'webhook-timestamp': '1772360131' }, rawBody: Buffer.from(body) },
        secrets,
      ).ok,
    ).toBe(false);
    expect(verifyStandardSignature({ headers, rawBody: Buffer.from(`${body} `) }, secrets).ok).toBe(
      false,
    );
    expect(
      verifyStandardSignature(
        { headers: { ...headers, 'webhook-timestamp': '2026-03-01' }, rawBody: Buffer.from(body) },
        secrets,
      ),
    ).toEqual({
      ok: false,
      reason: 'timestamp_invalid',
    });
  });
});
