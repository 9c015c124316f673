import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Secret } from '@tributary/config';
import { employmentOf, eventTypeOf, workerOf } from '../src/merge-worker.ts';
import { verifyMergeSignature } from '../src/verify-merge-signature.ts';

describe('verifyMergeSignature', () => {
  const body = Buffer.from('{"hook":{"event":"Employee.changed"}}');
  const signature = createHmac('sha256', 'k').update(body).digest('base64url');

  it('accepts base64url with and without padding', () => {
    const secrets = [new Secret('k')];
    expect(
      verifyMergeSignature(
        { headers: { 'x-merge-webhook-signature': signature }, rawBody: body },
        secrets,
      ).ok,
    ).toBe(true);
    expect(
      verifyMergeSignature(
        { headers: { 'x-merge-webhook-signature': `${signature}=` }, rawBody: body },
        secrets,
      ).ok,
    ).toBe(true);
    expect(
      verifyMergeSignature(
        { headers: { 'x-merge-webhook-signature': signature }, rawBody: Buffer.from('{}') },
        secrets,
      ).ok,
    ).toBe(false);
  });
});

describe('Merge normalisation', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('maps statuses and termination dates', () => {
    expect(employmentOf({ id: '1', employment_status: 'PENDING' }, now).status).toBe('pending');
    const past = employmentOf(
      {
        id: '1',
        employment_status: 'INACTIVE',
        hire_date: '2020-01-01T00:00:00Z',
        termination_date: '2026-01-31T00:00:00Z',
      },
      now,
    );
    expect(past).toMatchObject({
      status: 'terminated',
      active: false,
      terminationDate: '2026-01-31',
    });
    expect(eventTypeOf('Employee.changed', past)).toEqual({
      eventType: 'worker.terminated',
      effectiveDate: '2026-01-31',
    });
    expect(eventTypeOf('Employee.removed', past).eventType).toBe('worker.deleted');
    expect(
      eventTypeOf('Employee.added', employmentOf({ id: '1', start_date: '2026-03-02' }, now)),
    ).toEqual({
      eventType: 'worker.hired',
      effectiveDate: '2026-03-02',
    });
  });

  it('keeps unexpanded references out of the worker', () => {
    const worker = workerOf(
      { id: 'm1', employments: ['emp-id'], work_location: 'loc-id', work_email: 'bad' },
      'E1',
    );
    expect(worker).toEqual({
      sourceWorkerId: 'm1',
      employeeId: 'E1',
      emails: [],
      job: {},
      employment: { status: 'active', active: true },
    });
  });
});
