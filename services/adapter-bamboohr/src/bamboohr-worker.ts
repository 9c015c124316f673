import type { EmploymentStatus, Job, Worker, WorkerEventType } from '@tributary/worker-event';
import { values } from '@tributary/webhook-kit';
import type { EmployeeRecord } from './bamboohr-api.ts';

const { compact, countryCode, day, email, phone, text, today } = values;

/** BambooHR field names (as they appear in `changedFields`) to canonical paths. */
const canonicalPaths: Record<string, string> = {
  firstname: 'name',
  middlename: 'name',
  lastname: 'name',
  preferredname: 'name',
  displayname: 'name',
  workemail: 'emails',
  homeemail: 'emails',
  workphone: 'phones',
  mobilephone: 'phones',
  jobtitle: 'job.title',
  department: 'job.department',
  division: 'job.division',
  location: 'job.location',
  reportingto: 'manager',
  reportsto: 'manager',
  supervisor: 'manager',
  supervisoreid: 'manager',
  supervisorid: 'manager',
  status: 'employment.status',
  employmentstatus: 'employment.status',
  employmenthistorystatus: 'employment.status',
  employmentstatusdate: 'employment.status',
  hiredate: 'employment.hireDate',
  originalhiredate: 'employment.hireDate',
  terminationdate: 'employment.terminationDate',
};

/** `Employment Status: Date`, `employmentHistoryStatus` and `hireDate` all reduce to letters. */
function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

export function canonicalChangedFields(changed: readonly string[] | undefined): string[] {
  return [...new Set((changed ?? []).flatMap((name) => canonicalPaths[fieldKey(name)] ?? []))];
}

/** Whether the change touched hire or termination: only then is it a lifecycle event. */
function touchesLifecycle(changed: readonly string[] | undefined): boolean {
  if (changed === undefined) return true;
  return canonicalChangedFields(changed).some((path) => path.startsWith('employment.'));
}

const workerTypes: Record<
  string,
  { employeeType: Job['employeeType']; employmentType?: Job['employmentType'] }
> = {
  fulltime: { employeeType: 'employee', employmentType: 'full_time' },
  parttime: { employeeType: 'employee', employmentType: 'part_time' },
  contractor: { employeeType: 'contractor' },
  intern: { employeeType: 'intern' },
  temporary: { employeeType: 'temporary' },
  seasonal: { employeeType: 'temporary', employmentType: 'seasonal' },
  perdiem: { employeeType: 'employee', employmentType: 'per_diem' },
};

/** Status and active flag from BambooHR's `status`, termination and hire dates, as of today. */
export function employmentOf(
  record: EmployeeRecord,
  now: number = Date.now(),
): Worker['employment'] {
  const hireDate = day(record.hireDate);
  const originalHireDate = day(record.originalHireDate);
  const terminationDate = day(record.terminationDate);
  const current = today(now);
  // A termination before the current hire date belongs to an earlier period of service.
  const terminating =
    terminationDate !== undefined && (hireDate === undefined || terminationDate >= hireDate);
  const inactive = text(record.status)?.toLowerCase() === 'inactive';

  let status: EmploymentStatus;
  if (terminating && terminationDate! < current) status = 'terminated';
  else if (terminating) status = 'active';
  else if (inactive) status = 'inactive';
  else if (hireDate !== undefined && hireDate > current) status = 'pending';
  else status = 'active';

  return compact({
    status,
    active: status === 'active',
    hireDate,
    originalHireDate,
    terminationDate: terminating ? terminationDate : undefined,
    isRehire:
      originalHireDate !== undefined && hireDate !== undefined && hireDate > originalHireDate
        ? true
        : undefined,
  });
}

/**
 * The canonical event type of an `employee.updated`: BambooHR has no termination or rehire event,
 * so it is derived from what changed and the employee's current dates.
 */
export function eventTypeOf(
  rawType: string,
  changed: readonly string[] | undefined,
  employment: Worker['employment'],
): { eventType: WorkerEventType; effectiveDate?: string } {
  if (rawType.endsWith('.created'))
    return { eventType: 'worker.hired', ...dated(employment.hireDate) };
  if (rawType.endsWith('.deleted')) return { eventType: 'worker.deleted' };
  if (touchesLifecycle(changed)) {
    if (employment.terminationDate) {
      return { eventType: 'worker.terminated', effectiveDate: employment.terminationDate };
    }
    if (employment.isRehire && canonicalChangedFields(changed).includes('employment.hireDate')) {
      return { eventType: 'worker.rehired', ...dated(employment.hireDate) };
    }
  }
  return { eventType: 'worker.updated' };
}

function dated(date: string | undefined): { effectiveDate?: string } {
  return date ? { effectiveDate: date } : {};
}

/** The canonical worker; `manager` is resolved separately. */
export function workerOf(
  record: EmployeeRecord,
  employeeId: string,
  now: number = Date.now(),
): Worker {
  const workEmail = email(record.workEmail);
  const homeEmail = email(record.homeEmail);
  const workerType = workerTypes[fieldKey(record.employmentHistoryStatus ?? '')];
  const location = text(record.location);
  const country = countryCode(record.country);
  const name = compact({
    givenName: text(record.firstName),
    middleName: text(record.middleName),
    familyName: text(record.lastName),
    preferredGivenName: text(record.preferredName),
    displayName: text(record.displayName),
  });

  return compact({
    sourceWorkerId: record.id,
    employeeId,
    userName: workEmail,
    name: Object.keys(name).length > 0 ? name : undefined,
    emails: [
      ...(workEmail ? [{ value: workEmail, type: 'work' as const, primary: true }] : []),
      ...(homeEmail ? [{ value: homeEmail, type: 'personal' as const }] : []),
    ],
    phones: [
      ...(phone(record.workPhone)
        ? [{ value: phone(record.workPhone)!, type: 'work' as const }]
        : []),
      ...(phone(record.mobilePhone)
        ? [{ value: phone(record.mobilePhone)!, type: 'mobile' as const }]
        : []),
    ],
    job: compact({
      title: text(record.jobTitle),
      department: text(record.department),
      division: text(record.division),
      location: location || country ? compact({ name: location, countryCode: country }) : undefined,
      employeeType: workerType?.employeeType,
      employmentType: workerType?.employmentType,
      sourceWorkerType: text(record.employmentHistoryStatus),
    }),
    employment: employmentOf(record, now),
    usageLocation: country,
    sourceUpdatedAt: values.instant(record.lastChanged),
  });
}
