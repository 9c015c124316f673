import { describe, expect, it } from '@jest/globals';
import type { WorkerEvent } from '@tributary/worker-event';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { compileMapping } from '../../src/mapping/index.ts';

const core = 'urn:ietf:params:scim:schemas:core:2.0:User';
const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const namespace = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User';

describe('default mapping', () => {
  it('maps a full canonical event to the complete SCIM user', () => {
    const event = sampleWorkerEvent({ employeeId: '10015', managerEmployeeId: '10010' });
    event.worker.name = {
      ...event.worker.name,
      middleName: 'Jane',
      preferredGivenName: 'Babs',
      honorificPrefix: 'Ms.',
      honorificSuffix: 'III',
      formatted: 'Ms. Barbara J Jensen, III',
    };
    event.worker.emails?.push({ value: 'babs@home.example', type: 'personal' });
    event.worker.phones?.push({ value: '+1 425 555 0199', type: 'mobile', primary: true });
    event.worker.job = { ...event.worker.job, jobCode: 'ENG-2', employeeType: 'contractor' };
    event.worker.employment = {
      ...event.worker.employment,
      originalHireDate: '2019-03-01',
      terminationDate: '2026-12-31',
    };
    event.worker.customAttributes = { badgeId: 'B-10015', 'cost.center': 4100, remote: false };

    const result = compileMapping({ extensionNamespace: namespace }, 'test').map(event);

    expect(result).toEqual({
      ok: true,
      managerExternalId: '10010',
      user: {
        schemas: [core, enterprise, namespace],
        externalId: '10015',
        userName: 'worker.10015@contoso.example',
        name: {
          formatted: 'Ms. Barbara J Jensen, III',
          familyName: 'Jensen10015',
          givenName: 'Barbara',
          middleName: 'Jane',
          honorificPrefix: 'Ms.',
          honorificSuffix: 'III',
        },
        displayName: 'Barbara Jensen 10015',
        nickName: 'Babs',
        title: 'Engineer',
        userType: 'Contractor',
        preferredLanguage: 'en',
        locale: 'en-US',
        timezone: 'America/Los_Angeles',
        active: true,
        emails: [
          { value: 'worker.10015@contoso.example', type: 'work', primary: true },
          { value: 'babs@home.example', type: 'home' },
        ],
        phoneNumbers: [
          { value: '+1 425 555 0100', type: 'work' },
          { value: '+1 425 555 0199', type: 'mobile', primary: true },
        ],
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
        [enterprise]: {
          employeeNumber: '10015',
          costCenter: 'CC-4100',
          organization: 'Contoso',
          division: 'Product',
          department: 'Research',
          manager: { value: '10010' },
        },
        [namespace]: {
          HireDate: '2026-01-05',
          OriginalHireDate: '2019-03-01',
          TerminationDate: '2026-12-31',
          JobCode: 'ENG-2',
          EmployeeType: 'Contractor',
          UsageLocation: 'US',
          BadgeId: 'B-10015',
          Cost_center: 4100,
          Remote: false,
        },
      },
    });
  });

  it('leaves the custom namespace out of the user and of schemas when no namespace is set', () => {
    const result = compileMapping(undefined, 'test').map(sampleWorkerEvent());

    expect(result.ok && result.user.schemas).toEqual([core, enterprise]);
    expect(result.ok && Object.keys(result.user).filter((key) => key.startsWith('urn:'))).toEqual([
      enterprise,
    ]);
  });

  it('builds the display name from the name parts when the source has none', () => {
    const event = sampleWorkerEvent();
    event.worker.name = { givenName: 'Kathy', familyName: 'Jensen' };

    const result = compileMapping(undefined, 'test').map(event);

    expect(result.ok && result.user.displayName).toBe('Kathy Jensen');
  });

  it('leaves absent canonical values absent, never null or empty', () => {
    const event: WorkerEvent = sampleWorkerEvent({
      worker: {
        sourceWorkerId: 'src-1',
        employeeId: '42',
        name: { givenName: 'Ann' },
        emails: [],
        customAttributes: { nickname: null, empty: '' },
        employment: { status: 'pending', active: false },
      },
    });
    // Only what the worker above states: the sample's defaults for other fields are dropped.
    for (const key of ['userName', 'phones', 'addresses', 'job', 'locale'] as const) {
      delete event.worker[key];
    }
    delete event.worker.preferredLanguage;
    delete event.worker.timezone;
    delete event.worker.usageLocation;

    const result = compileMapping({ extensionNamespace: namespace }, 'test').map(event);

    expect(result).toEqual({
      ok: true,
      user: {
        schemas: [core, enterprise],
        externalId: '42',
        name: { givenName: 'Ann' },
        active: false,
        [enterprise]: { employeeNumber: '42' },
      },
    });
  });
});

// A manager and a report in one upload. The canonical model carries ISO 3166 alpha-2 countries and
// no manager display name (Entra resolves managers by externalId alone), so neither appears here.
describe('Barbara and Kathy: a manager and her report', () => {
  function jensen(employeeId: string, given: string, managerEmployeeId: string): WorkerEvent {
    const street = given === 'Barbara' ? '234300 Universal City Plaza' : '100 Oracle City Plaza';
    const postalCode = given === 'Barbara' ? '91608' : '91618';
    const formattedStreet = given === 'Barbara' ? '100 Universal City Plaza' : street;
    return sampleWorkerEvent({
      employeeId,
      managerEmployeeId,
      worker: {
        sourceWorkerId: `src-${employeeId}`,
        employeeId,
        userName: `${given.toLowerCase()}@contoso.example`,
        name: {
          formatted: `Ms. ${given} J Jensen, III`,
          familyName: 'Jensen',
          givenName: given,
          middleName: 'Jane',
          honorificPrefix: 'Ms.',
          honorificSuffix: 'III',
          displayName: given === 'Barbara' ? 'Babs Jensen' : 'Kathy Jensen',
          preferredGivenName: given === 'Barbara' ? 'Babs' : 'Kathy',
        },
        emails: [{ value: `${given.toLowerCase()}@contoso.example`, type: 'work', primary: true }],
        addresses: [
          {
            type: 'work',
            streetAddress: street,
            locality: 'Hollywood',
            region: 'CA',
            postalCode,
            country: 'US',
            formatted: `${formattedStreet}\nHollywood, CA ${postalCode} USA`,
            primary: true,
          },
        ],
        phones: [{ value: given === 'Barbara' ? '555-555-5555' : '555-555-5545', type: 'work' }],
        job: {
          title: given === 'Barbara' ? 'Tour Guide' : 'Tour Lead',
          costCenter: '4130',
          organization: 'Universal Studios',
          division: 'Theme Park',
          department: 'Tour Operations',
          employeeType: 'employee',
        },
        employment: { status: 'active', active: true },
        preferredLanguage: 'en-US',
        locale: 'en-US',
        timezone: 'America/Los_Angeles',
        customAttributes: {},
      },
    });
  }

  function expected(employeeId: string, given: string, manager: string): object {
    const event = jensen(employeeId, given, manager).worker;
    return {
      schemas: [core, enterprise],
      externalId: employeeId,
      userName: event.userName,
      name: { ...event.name, displayName: undefined, preferredGivenName: undefined },
      displayName: event.name?.displayName,
      nickName: event.name?.preferredGivenName,
      emails: event.emails,
      addresses: event.addresses,
      phoneNumbers: event.phones,
      userType: 'Employee',
      title: event.job?.title,
      preferredLanguage: 'en-US',
      locale: 'en-US',
      timezone: 'America/Los_Angeles',
      active: true,
      [enterprise]: {
        employeeNumber: employeeId,
        costCenter: '4130',
        organization: 'Universal Studios',
        division: 'Theme Park',
        department: 'Tour Operations',
        manager: { value: manager },
      },
    };
  }

  it('produces both users, Barbara managing Kathy', () => {
    const mapper = compileMapping({}, 'test');

    const barbara = mapper.map(jensen('701984', 'Barbara', '89607'));
    const kathy = mapper.map(jensen('701985', 'Kathy', '701984'));

    expect(barbara).toEqual({
      ok: true,
      user: expected('701984', 'Barbara', '89607'),
      managerExternalId: '89607',
    });
    expect(kathy).toEqual({
      ok: true,
      user: expected('701985', 'Kathy', '701984'),
      managerExternalId: '701984',
    });
  });
});
