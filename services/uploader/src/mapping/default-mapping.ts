import type { AttributeRule } from './types.ts';

/**
 * The built-in mapping: what Entra's API-driven provisioning reads out of the box, fed from the
 * canonical worker. A connection's `attributes` override entries by key or add new ones.
 * `extension:` entries apply only when the connection names an extension namespace.
 */
export const defaultMapping: Readonly<Record<string, AttributeRule>> = {
  externalId: { from: 'employeeId', required: true },
  userName: { from: 'userName' },
  'name.formatted': { from: 'name.formatted' },
  'name.familyName': { from: 'name.familyName' },
  'name.givenName': { from: 'name.givenName' },
  'name.middleName': { from: 'name.middleName' },
  'name.honorificPrefix': { from: 'name.honorificPrefix' },
  'name.honorificSuffix': { from: 'name.honorificSuffix' },
  displayName: {
    from: 'name.displayName',
    fallback: { template: '{name.givenName} {name.familyName}' },
  },
  nickName: { from: 'name.preferredGivenName' },
  title: { from: 'job.title' },
  userType: { from: 'job.employeeType', case: 'title' },
  preferredLanguage: { from: 'preferredLanguage' },
  locale: { from: 'locale' },
  timezone: { from: 'timezone' },
  active: { from: 'employment.active' },
  emails: { from: 'emails' },
  phoneNumbers: { from: 'phones' },
  addresses: { from: 'addresses' },

  'enterprise:employeeNumber': { from: 'employeeId' },
  'enterprise:costCenter': { from: 'job.costCenter' },
  'enterprise:organization': { from: 'job.organization' },
  'enterprise:division': { from: 'job.division' },
  'enterprise:department': { from: 'job.department' },
  // Entra resolves the manager by the manager's externalId, which is their employee number.
  'enterprise:manager.value': { from: 'manager.employeeId' },

  'extension:HireDate': { from: 'employment.hireDate', dateFormat: 'date' },
  'extension:OriginalHireDate': { from: 'employment.originalHireDate', dateFormat: 'date' },
  'extension:TerminationDate': { from: 'employment.terminationDate', dateFormat: 'date' },
  'extension:JobCode': { from: 'job.jobCode' },
  'extension:EmployeeType': { from: 'job.employeeType', case: 'title' },
  'extension:UsageLocation': { from: 'usageLocation' },
  'extension:*': { from: 'custom.*' },
};
