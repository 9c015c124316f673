import type { EmploymentStatus, Job, Worker, WorkerEventType } from '@tributary/worker-event';
import { values } from '@tributary/webhook-kit';
import type { MergeEmployee } from './merge-payload.ts';

const { compact, countryCode, day, email, phone, text, today } = values;

const employmentTypes: Record<
  string,
  { employeeType: Job['employeeType']; employmentType?: Job['employmentType'] }
> = {
  FULL_TIME: { employeeType: 'employee', employmentType: 'full_time' },
  PART_TIME: { employeeType: 'employee', employmentType: 'part_time' },
  INTERN: { employeeType: 'intern' },
  CONTRACTOR: { employeeType: 'contractor' },
  FREELANCE: { employeeType: 'contractor' },
};

export function employmentOf(
  employee: MergeEmployee,
  now: number = Date.now(),
): Worker['employment'] {
  const hireDate = day(employee.hire_date);
  const startDate = day(employee.start_date);
  const terminationDate = day(employee.termination_date);
  const began = startDate ?? hireDate;
  const terminating =
    terminationDate !== undefined && (began === undefined || terminationDate >= began);
  let status: EmploymentStatus;
  if (employee.employment_status === 'PENDING') status = 'pending';
  else if (terminating && terminationDate! < today(now)) status = 'terminated';
  else if (employee.employment_status === 'INACTIVE')
    status = terminating ? 'terminated' : 'inactive';
  else status = 'active';
  return compact({
    status,
    active: status === 'active',
    hireDate,
    startDate,
    terminationDate: terminating ? terminationDate : undefined,
  });
}

/** Merge says only added, changed or removed; the snapshot says whether a change was a termination. */
export function eventTypeOf(
  event: string,
  employment: Worker['employment'],
): { eventType: WorkerEventType; effectiveDate?: string } {
  const kind = event.split('.').at(-1)?.toLowerCase();
  if (kind === 'added' || kind === 'created') {
    const date = employment.startDate ?? employment.hireDate;
    return { eventType: 'worker.hired', ...(date ? { effectiveDate: date } : {}) };
  }
  if (kind === 'removed' || kind === 'deleted') return { eventType: 'worker.deleted' };
  if (employment.terminationDate)
    return { eventType: 'worker.terminated', effectiveDate: employment.terminationDate };
  return { eventType: 'worker.updated' };
}

export function workerOf(employee: MergeEmployee, employeeId: string): Worker {
  const workEmail = email(employee.work_email);
  const personalEmail = email(employee.personal_email);
  const employment = employee.employments?.find((entry) => typeof entry === 'object');
  const type =
    typeof employment === 'object' ? employmentTypes[employment.employment_type ?? ''] : undefined;
  const location =
    typeof employee.work_location === 'object' && employee.work_location !== null
      ? employee.work_location
      : undefined;
  const name = compact({
    givenName: text(employee.first_name),
    familyName: text(employee.last_name),
    preferredGivenName: text(employee.preferred_name),
    displayName: text(employee.display_full_name),
  });
  const mobile = phone(employee.mobile_phone_number);
  return compact({
    sourceWorkerId: employee.id,
    employeeId,
    userName: workEmail,
    name: Object.keys(name).length > 0 ? name : undefined,
    emails: [
      ...(workEmail ? [{ value: workEmail, type: 'work' as const, primary: true }] : []),
      ...(personalEmail ? [{ value: personalEmail, type: 'personal' as const }] : []),
    ],
    phones: mobile ? [{ value: mobile, type: 'mobile' as const }] : undefined,
    job: compact({
      title: typeof employment === 'object' ? text(employment.job_title) : undefined,
      location: location
        ? compact({
            id: text(location.id),
            name: text(location.name),
            countryCode: countryCode(location.country),
          })
        : undefined,
      employeeType: type?.employeeType,
      employmentType: type?.employmentType,
      sourceWorkerType:
        typeof employment === 'object' ? text(employment.employment_type) : undefined,
    }),
    employment: employmentOf(employee),
    usageLocation: location ? countryCode(location.country) : undefined,
    sourceUpdatedAt: values.instant(employee.modified_at),
  });
}
