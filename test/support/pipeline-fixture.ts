import { sampleWorkerEvent } from '@tributary/worker-event/testing';

/**
 * One fictitious person, with values distinctive enough that finding any of them in exported
 * telemetry can only mean a leak.
 */
export const person = {
  employeeId: '880042',
  givenName: 'Zebulon',
  familyName: 'Quattlebaum',
  email: 'zebulon.quattlebaum@contoso.example',
  phone: '+1 425 555 0199',
  street: '742 Evergreen Terrace',
};

/** What must never appear in a span, a log line or a metric. */
export const personalValues = [
  person.givenName,
  person.familyName,
  person.email,
  'zebulon.quattlebaum',
  person.phone,
  '555 0199',
  '4255550199',
  person.street,
  'Evergreen',
];

/** A Standard Webhooks delivery body for that person. */
export function hiredDelivery(): string {
  const { worker } = sampleWorkerEvent({
    employeeId: person.employeeId,
    worker: {
      userName: person.email,
      name: {
        givenName: person.givenName,
        familyName: person.familyName,
        displayName: `${person.givenName} ${person.familyName}`,
      },
      emails: [{ value: person.email, type: 'work', primary: true }],
      phones: [{ value: person.phone, type: 'mobile' }],
      addresses: [
        {
          type: 'work',
          streetAddress: person.street,
          locality: 'Springfield',
          region: 'OR',
          postalCode: '97477',
          country: 'US',
        },
      ],
    },
  });
  return JSON.stringify({
    type: 'worker.hired',
    timestamp: new Date().toISOString(),
    data: worker,
  });
}
