import { core, enterprise } from './emulator-fixture.ts';

/**
 * The example bulk request this project started from: Barbara (701984, whose manager 89607 is
 * not in the request) and Kathy (701985, managed by Barbara), in one request. The saved copy has
 * its e-mail addresses scrambled by the web page it was captured from, so test addresses stand in.
 */
export const seedOperations = [
  {
    method: 'POST',
    bulkId: '701984',
    path: '/Users',
    data: {
      schemas: [core, enterprise],
      externalId: '701984',
      userName: 'bjensen@contoso.test',
      name: { formatted: 'Ms. Barbara J Jensen, III', familyName: 'Jensen', givenName: 'Barbara' },
      displayName: 'Babs Jensen',
      emails: [{ value: 'bjensen@contoso.test', type: 'work', primary: true }],
      addresses: [
        { type: 'work', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'USA' },
      ],
      phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
      userType: 'Employee',
      title: 'Tour Guide',
      preferredLanguage: 'en-US',
      active: true,
      [enterprise]: {
        employeeNumber: '701984',
        costCenter: '4130',
        organization: 'Universal Studios',
        division: 'Theme Park',
        department: 'Tour Operations',
        manager: { value: '89607', displayName: 'John Smith' },
      },
    },
  },
  {
    method: 'POST',
    bulkId: '701985',
    path: '/Users',
    data: {
      schemas: [core, enterprise],
      externalId: '701985',
      userName: 'kjensen@contoso.test',
      name: { formatted: 'Ms. Kathy J Jensen, III', familyName: 'Jensen', givenName: 'Kathy' },
      displayName: 'Kathy Jensen',
      emails: [{ value: 'kjensen@contoso.test', type: 'work', primary: true }],
      userType: 'Employee',
      title: 'Tour Lead',
      preferredLanguage: 'en-US',
      active: true,
      [enterprise]: {
        employeeNumber: '701984',
        costCenter: '4130',
        organization: 'Universal Studios',
        division: 'Theme Park',
        department: 'Tour Operations',
        manager: { value: '701984', displayName: 'Barbara Jensen' },
      },
    },
  },
];
