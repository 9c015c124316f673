import { describe, expect, it } from '@jest/globals';
import {
  canonicalChangedFields,
  employmentOf,
  eventTypeOf,
  workerOf,
} from '../src/bamboohr-worker.ts';

const now = Date.parse('2026-03-01T12:00:00Z');

describe('BambooHR normalisation', () => {
  it('maps a record to a canonical worker, dropping empty and sentinel values', () => {
    const worker = workerOf(
      {
        id: '41',
        employeeNumber: 'E-41',
        firstName: 'Grace',
        lastName: 'Report',
        workEmail: 'grace@acme.example',
        homeEmail: 'not an email',
        mobilePhone: '+1 425 555 0100',
        jobTitle: 'Engineer',
        location: 'Berlin',
        country: 'de',
        employmentHistoryStatus: 'Contractor',
        status: 'Active',
        hireDate: '2024-02-01',
        originalHireDate: '0000-00-00',
        terminationDate: '0000-00-00',
      },
      'E-41',
      now,
    );
    expect(worker).toEqual({
      sourceWorkerId: '41',
      employeeId: 'E-41',
      userName: 'grace@acme.example',
      name: { givenName: 'Grace', familyName: 'Report' },
      emails: [{ value: 'grace@acme.example', type: 'work', primary: true }],
      phones: [{ value: '+1 425 555 0100', type: 'mobile' }],
      job: {
        title: 'Engineer',
        location: { name: 'Berlin', countryCode: 'DE' },
        employeeType: 'contractor',
        sourceWorkerType: 'Contractor',
      },
      employment: { status: 'active', active: true, hireDate: '2024-02-01' },
      usageLocation: 'DE',
    });
  });

  it('derives status from dates: past and future terminations, pre-hires, rehires', () => {
    expect(
      employmentOf(
        { id: '1', status: 'Inactive', hireDate: '2020-01-01', terminationDate: '2026-02-01' },
        now,
      ),
    ).toMatchObject({
      status: 'terminated',
      active: false,
    });
    expect(
      employmentOf(
        { id: '1', status: 'Active', hireDate: '2020-01-01', terminationDate: '2026-06-30' },
        now,
      ),
    ).toMatchObject({
      status: 'active',
      active: true,
      terminationDate: '2026-06-30',
    });
    expect(employmentOf({ id: '1', status: 'Active', hireDate: '2026-04-01' }, now)).toMatchObject({
      status: 'pending',
      active: false,
    });
    const rehired = employmentOf(
      {
        id: '1',
        status: 'Active',
        hireDate: '2026-02-01',
        originalHireDate: '2019-01-01',
        terminationDate: '2023-01-01',
      },
      now,
    );
    expect(rehired).toEqual({
      status: 'active',
      active: true,
      hireDate: '2026-02-01',
      originalHireDate: '2019-01-01',
      isRehire: true,
    });
  });

  it('derives the event type of employee.updated from the changed fields', () => {
    const terminated = employmentOf(
      { id: '1', hireDate: '2020-01-01', terminationDate: '2026-06-30' },
      now,
    );
    expect(eventTypeOf('employee.updated', ['Employment Status'], terminated)).toEqual({
      eventType: 'worker.terminated',
      effectiveDate: '2026-06-30',
    });
    expect(eventTypeOf('employee.updated', ['jobTitle'], terminated)).toEqual({
      eventType: 'worker.updated',
    });
    const rehired = employmentOf(
      { id: '1', hireDate: '2026-02-01', originalHireDate: '2019-01-01' },
      now,
    );
    expect(eventTypeOf('employee.updated', ['hireDate'], rehired)).toEqual({
      eventType: 'worker.rehired',
      effectiveDate: '2026-02-01',
    });
    expect(eventTypeOf('employee.created', ['firstName'], rehired).eventType).toBe('worker.hired');
    expect(eventTypeOf('employee.deleted', undefined, rehired).eventType).toBe('worker.deleted');
  });

  it('maps changed field names, display names included, to canonical paths', () => {
    expect(
      canonicalChangedFields([
        'firstName',
        'lastName',
        'Reporting to',
        'Job Title',
        'unknownCustom',
      ]),
    ).toEqual(['name', 'manager', 'job.title']);
  });
});
