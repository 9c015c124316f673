import type { EmploymentStatus, Worker, WorkerEventType } from '@tributary/worker-event';
import { values } from '@tributary/webhook-kit';
import type { PersonRecord } from './hibob-api.ts';

const { compact, day, email, text, today } = values;

/** Bob field ids (as in `fieldUpdates`) to canonical paths; unknown ids are left out. */
const canonicalPaths: Record<string, string> = {
  'root.firstName': 'name',
  'root.surname': 'name',
  'root.displayName': 'name',
  'root.email': 'emails',
  'work.title': 'job.title',
  'work.department': 'job.department',
  'work.site': 'job.location',
  'work.reportsTo': 'manager',
  'work.startDate': 'employment.hireDate',
  'internal.status': 'employment.status',
  'internal.lifecycleStatus': 'employment.status',
  'internal.terminationDate': 'employment.terminationDate',
};

export function canonicalChangedFields(
  updates: readonly (string | { fieldId?: string })[] | undefined,
): string[] {
  const ids = (updates ?? []).map((update) =>
    typeof update === 'string' ? update : (update.fieldId ?? ''),
  );
  return [...new Set(ids.flatMap((id) => canonicalPaths[id.replaceAll('/', '.')] ?? []))];
}

export function employmentOf(record: PersonRecord, now: number = Date.now()): Worker['employment'] {
  const lifecycle = text(record['internal.lifecycleStatus'])?.toLowerCase() ?? '';
  const startDate = day(record['work.startDate']);
  const terminationDate = day(record['internal.terminationDate']);
  const current = today(now);
  const terminating =
    terminationDate !== undefined && (startDate === undefined || terminationDate >= startDate);

  let status: EmploymentStatus;
  if (lifecycle === 'terminated' || (terminating && terminationDate! < current))
    status = 'terminated';
  else if (lifecycle.includes('leave')) status = 'on_leave';
  else if (lifecycle === 'hired' || (startDate !== undefined && startDate > current))
    status = 'pending';
  else if (text(record['internal.status'])?.toLowerCase() === 'inactive') status = 'inactive';
  else status = 'active';

  return compact({
    status,
    active: status === 'active',
    hireDate: startDate,
    startDate,
    terminationDate: terminating ? terminationDate : undefined,
  });
}

/**
 * The canonical type of a Bob event, given the hydrated record. Bob's lifecycle events fire on
 * the effective date; `inactivated` covers both leave and termination, and `activated` both a
 * return from leave and a rehire, so the record decides.
 */
export function eventTypeOf(
  rawType: string,
  employment: Worker['employment'],
  now: number = Date.now(),
): { eventType: WorkerEventType; effectiveDate?: string } {
  const startedRecently =
    employment.startDate !== undefined &&
    Date.parse(employment.startDate) >= now - 7 * 24 * 3600 * 1000;
  switch (rawType) {
    case 'employee.joined':
      return { eventType: 'worker.hired', ...dated(employment.startDate) };
    case 'employee.created':
      // An import of long-standing staff creates employees too: only a recent or future start is a hire.
      return startedRecently || employment.status === 'pending'
        ? { eventType: 'worker.hired', ...dated(employment.startDate) }
        : { eventType: 'worker.updated' };
    case 'employee.left':
      return { eventType: 'worker.terminated', ...dated(employment.terminationDate) };
    case 'employee.inactivated':
      return employment.status === 'terminated' || employment.terminationDate
        ? { eventType: 'worker.terminated', ...dated(employment.terminationDate) }
        : { eventType: 'worker.leave_started', effectiveDate: today(now) };
    case 'employee.activated':
      return startedRecently
        ? { eventType: 'worker.rehired', ...dated(employment.startDate) }
        : { eventType: 'worker.leave_ended', effectiveDate: today(now) };
    case 'employee.deleted':
      return { eventType: 'worker.deleted' };
    default:
      return { eventType: 'worker.updated' };
  }
}

function dated(date: string | undefined): { effectiveDate?: string } {
  return date ? { effectiveDate: date } : {};
}

export function workerOf(record: PersonRecord, sourceWorkerId: string, employeeId: string): Worker {
  const workEmail = email(record['root.email']);
  const name = compact({
    givenName: text(record['root.firstName']),
    familyName: text(record['root.surname']),
    displayName: text(record['root.displayName']),
  });
  const site = text(record['work.site']);
  return compact({
    sourceWorkerId,
    employeeId,
    userName: workEmail,
    name: Object.keys(name).length > 0 ? name : undefined,
    emails: workEmail ? [{ value: workEmail, type: 'work' as const, primary: true }] : undefined,
    job: compact({
      title: text(record['work.title']),
      department: text(record['work.department']),
      location: site ? { name: site } : undefined,
    }),
    employment: employmentOf(record),
  });
}
