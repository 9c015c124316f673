import { describe, expect, test } from '@jest/globals';
import {
  assertWorkerEvent,
  idempotencyKey,
  newEventId,
  validateWorkerEvent,
  workerEventTypes,
  workerKey,
  type WorkerEvent,
} from '@tributary/worker-event';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';

function problemsOf(value: unknown): { path: string; message: string }[] {
  const result = validateWorkerEvent(value);
  if (result.ok) throw new Error('expected the event to be invalid');
  return result.problems;
}

type Node = Record<string, unknown>;

/**
 * A valid event with the values at the given JSON Pointers replaced (`undefined` removes them),
 * so each case states exactly what it breaks.
 */
function mutate(changes: Record<string, unknown>): unknown {
  const event = structuredClone(sampleWorkerEvent()) as unknown as Node;
  for (const [pointer, value] of Object.entries(changes)) {
    const keys = pointer.split('/').slice(1);
    const last = keys.pop()!;
    const parent = keys.reduce((node, key) => node[key] as Node, event);
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return event;
}

describe('validateWorkerEvent', () => {
  test.each(workerEventTypes)('accepts a complete %s event', (eventType) => {
    const event = sampleWorkerEvent({ eventType, managerEmployeeId: '100' });

    expect(validateWorkerEvent(event)).toEqual({ ok: true, event });
  });

  test('accepts the smallest event a source can produce', () => {
    const event: WorkerEvent = {
      specVersion: '1',
      eventId: newEventId(),
      idempotencyKey: 'acme:delivery-1',
      eventType: 'worker.deleted',
      occurredAt: '2026-03-01T10:15:30.123Z',
      receivedAt: '2026-03-01T10:15:31Z',
      source: {
        system: 'hibob',
        connectionId: 'acme-hibob',
        tenantId: '123456',
        rawEventType: 'employee.deleted',
        payloadKind: 'thin',
      },
      worker: {
        sourceWorkerId: '333',
        employeeId: 'E-1',
        employment: { status: 'inactive', active: false },
      },
    };

    expect(validateWorkerEvent(event).ok).toBe(true);
  });

  test('accepts a termination dated in the future', () => {
    const event = sampleWorkerEvent({ eventType: 'worker.terminated' });
    event.effectiveDate = '2099-12-31';
    event.worker.employment = { status: 'active', active: true, terminationDate: '2099-12-31' };

    expect(validateWorkerEvent(event).ok).toBe(true);
  });

  test.each([
    ['a missing employee id', '/worker/employeeId', undefined, 'is required'],
    ['an unknown event type', '/eventType', 'worker.promoted', 'must be one of'],
    ['a malformed email', '/worker/emails/0/value', 'not-an-email', 'must match format "email"'],
    [
      'a date with a time',
      '/worker/employment/hireDate',
      '2026-01-05T00:00:00Z',
      'must match format "date"',
    ],
    [
      'an instant without a zone',
      '/occurredAt',
      '2026-01-05 10:00',
      'must match format "date-time"',
    ],
    ['a lower-case country', '/worker/addresses/0/country', 'us', 'must match pattern'],
    ['an unknown key', '/worker/job/salary', 100, 'is not allowed'],
    ['a nested custom attribute', '/worker/customAttributes/badge', { id: 1 }, 'must be string'],
    [
      'an over-long custom attribute',
      '/worker/customAttributes/badge',
      'x'.repeat(4097),
      'must NOT have more than 4096 characters',
    ],
    ['another spec version', '/specVersion', '2', 'must be equal to constant'],
  ])('refuses %s with its path', (_name, path, value, message) => {
    const problems = problemsOf(mutate({ [path]: value }));

    expect(problems).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  test('refuses a manager without an employee id', () => {
    const problems = problemsOf(mutate({ '/worker/manager': { sourceWorkerId: '9' } }));

    expect(problems).toEqual([{ path: '/worker/manager/employeeId', message: 'is required' }]);
  });

  test('reports every problem at once', () => {
    const problems = problemsOf(
      mutate({
        '/eventId': undefined,
        '/worker/employment/active': 'yes',
        '/source/payloadKind': 'medium',
      }),
    );

    expect(problems.map((p) => p.path).sort()).toEqual([
      '/eventId',
      '/source/payloadKind',
      '/worker/employment/active',
    ]);
  });

  test('refuses what is not an object at all', () => {
    expect(problemsOf(null)).toEqual([{ path: '/', message: 'must be object' }]);
    expect(problemsOf('{}')).toEqual([{ path: '/', message: 'must be object' }]);
  });

  test('assertWorkerEvent names paths but never values', () => {
    const invalid = mutate({ '/worker/emails/0/value': 'kathy at contoso' });

    expect(() => assertWorkerEvent(invalid)).toThrow(
      '/worker/emails/0/value must match format "email"',
    );
    expect(() => assertWorkerEvent(invalid)).not.toThrow('kathy');
  });
});

describe('identity', () => {
  test('event ids are version 7 UUIDs that sort by time', () => {
    const earlier = newEventId(1_700_000_000_000);
    const later = newEventId(1_700_000_000_001);

    expect(earlier).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(earlier < later).toBe(true);
  });

  test('a worker keeps one key across its events; idempotency keys follow the delivery', () => {
    const hired = sampleWorkerEvent({ employeeId: '42', eventType: 'worker.hired' });
    const left = sampleWorkerEvent({ employeeId: '42', eventType: 'worker.terminated' });

    expect(workerKey(hired)).toBe('contoso-hr/42');
    expect(workerKey(left)).toBe(workerKey(hired));
    expect(idempotencyKey('c', 'msg_1', 'a')).toBe('c:msg_1');
    expect(idempotencyKey('c', undefined, 'body')).toBe(
      idempotencyKey('c', undefined, Buffer.from('body')),
    );
    expect(idempotencyKey('c', undefined, 'body')).not.toBe(
      idempotencyKey('c', undefined, 'body2'),
    );
  });
});
