import { newEventId } from './identity.ts';
import type { Worker, WorkerEvent, WorkerEventType } from './types.ts';

export interface SampleOptions {
  employeeId?: string;
  managerEmployeeId?: string;
  eventType?: WorkerEventType;
  connectionId?: string;
  worker?: Partial<Worker>;
  occurredAt?: string;
}

/**
 * A complete, valid event for tests and benchmarks, with fictitious personal data that tests can
 * search telemetry for. Not used by any service.
 */
export function sampleWorkerEvent(options: SampleOptions = {}): WorkerEvent {
  const employeeId = options.employeeId ?? '701984';
  const now = new Date().toISOString();
  const worker: Worker = {
    sourceWorkerId: `src-${employeeId}`,
    employeeId,
    userName: `worker.${employeeId}@contoso.example`,
    name: {
      givenName: 'Barbara',
      familyName: `Jensen${employeeId}`,
      displayName: `Barbara Jensen ${employeeId}`,
    },
    emails: [{ value: `worker.${employeeId}@contoso.example`, type: 'work', primary: true }],
    phones: [{ value: '+1 425 555 0100', type: 'work' }],
    addresses: [
      {
        type: 'work',
        streetAddress: '100 Main Street',
        locality: 'Redmond',
        region: 'WA',
        postalCode: '98052',
        country: 'US',
      },
    ],
    job: {
      title: 'Engineer',
      department: 'Research',
      division: 'Product',
      costCenter: 'CC-4100',
      organization: 'Contoso',
      employeeType: 'employee',
    },
    employment: { status: 'active', active: true, hireDate: '2026-01-05' },
    locale: 'en-US',
    preferredLanguage: 'en',
    timezone: 'America/Los_Angeles',
    usageLocation: 'US',
    customAttributes: { badgeId: `B-${employeeId}` },
    ...options.worker,
  };
  if (options.managerEmployeeId) worker.manager = { employeeId: options.managerEmployeeId };

  return {
    specVersion: '1',
    eventId: newEventId(),
    idempotencyKey: `${options.connectionId ?? 'contoso-hr'}:${newEventId()}`,
    eventType: options.eventType ?? 'worker.hired',
    occurredAt: options.occurredAt ?? now,
    receivedAt: now,
    source: {
      system: 'standard-webhooks',
      connectionId: options.connectionId ?? 'contoso-hr',
      tenantId: 'contoso',
      rawEventType: 'worker.hired',
      payloadKind: 'fat',
    },
    worker,
  };
}
