import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Secret } from '@tributary/config';
import { employmentOf, eventTypeOf } from '../src/hibob-worker.ts';
import { isHiBobPing, verifyHiBobSignature } from '../src/verify-hibob-signature.ts';

const now = Date.parse('2026-03-01T12:00:00Z');

describe('verifyHiBobSignature', () => {
  const body = Buffer.from('{"type":"employee.updated"}');
  const sign = (secret: string) => ({
    'bob-signature': createHmac('sha512', secret).update(body).digest('base64'),
  });

  it('accepts base64 HMAC-SHA512 under any active secret and refuses others', () => {
    const secrets = [new Secret('a'), new Secret('b')];
    expect(verifyHiBobSignature({ headers: sign('b'), rawBody: body }, secrets)).toEqual({
      ok: true,
    });
    expect(verifyHiBobSignature({ headers: sign('c'), rawBody: body }, secrets)).toEqual({
      ok: false,
      reason: 'signature_invalid',
    });
    expect(verifyHiBobSignature({ headers: {}, rawBody: body }, secrets)).toEqual({
      ok: false,
      reason: 'signature_missing',
    });
  });

  it('recognises only the documented ping bodies', () => {
    for (const ping of [
      'Ping test',
      '"Ping test"',
      '{"text":"Ping test"}',
      ' {"text": "Ping test"} ',
    ]) {
      expect(isHiBobPing(Buffer.from(ping))).toBe(true);
    }
    expect(isHiBobPing(Buffer.from('{"text":"Ping test","x":1}'))).toBe(false);
  });
});

describe('HiBob lifecycle mapping', () => {
  it('tells leave from termination and a return from a rehire', () => {
    const onLeave = employmentOf(
      { 'internal.lifecycleStatus': 'leave', 'work.startDate': '2020-01-01' },
      now,
    );
    expect(onLeave.status).toBe('on_leave');
    expect(eventTypeOf('employee.inactivated', onLeave, now).eventType).toBe(
      'worker.leave_started',
    );
    const leaving = employmentOf(
      { 'work.startDate': '2020-01-01', 'internal.terminationDate': '2026-04-30' },
      now,
    );
    expect(eventTypeOf('employee.inactivated', leaving, now)).toEqual({
      eventType: 'worker.terminated',
      effectiveDate: '2026-04-30',
    });
    const back = employmentOf({ 'work.startDate': '2020-01-01' }, now);
    expect(eventTypeOf('employee.activated', back, now).eventType).toBe('worker.leave_ended');
    const rehired = employmentOf({ 'work.startDate': '2026-02-27' }, now);
    expect(eventTypeOf('employee.activated', rehired, now)).toEqual({
      eventType: 'worker.rehired',
      effectiveDate: '2026-02-27',
    });
    expect(eventTypeOf('employee.created', back, now).eventType).toBe('worker.updated');
    expect(eventTypeOf('employee.joined', back, now).eventType).toBe('worker.hired');
  });
});
