import { describe, expect, it } from '@jest/globals';
import { isTributaryError } from '@tributary/errors';
import type { WorkerEvent } from '@tributary/worker-event';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { compileMapping, type MappingConfig } from '../../src/mapping/index.ts';

const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const namespace = 'urn:contoso:hr:1.0';

function mapOne(config: MappingConfig, event: WorkerEvent = sampleWorkerEvent()) {
  return compileMapping(config, 'test').map(event);
}

function user(config: MappingConfig, event?: WorkerEvent): Record<string, unknown> {
  const result = mapOne(config, event);
  if (!result.ok) throw new Error(`expected a user, got ${result.code}: ${result.reason}`);
  return result.user;
}

function configError(config: unknown): string {
  try {
    compileMapping(config as MappingConfig, 'targets.yaml: /targets/0/mapping');
  } catch (error) {
    if (isTributaryError(error, 'CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected CONFIG_INVALID');
}

describe('compileMapping overrides', () => {
  it('takes a value from another canonical path', () => {
    expect(
      user({ attributes: { title: { from: 'job.jobCode' } } }, withJobCode('ENG-2')).title,
    ).toBe('ENG-2');
  });

  it('sets a constant', () => {
    const mapped = user({ attributes: { 'enterprise:organization': { const: 'Fabrikam' } } });

    expect((mapped[enterprise] as Record<string, unknown>).organization).toBe('Fabrikam');
  });

  it('fills a template, with literal braces escaped', () => {
    const mapped = user({
      attributes: { displayName: { template: '{name.familyName}, {name.givenName} {{ext}}' } },
    });

    expect(mapped.displayName).toBe('Jensen701984, Barbara {ext}');
  });

  it('leaves a templated attribute absent when a placeholder has no value', () => {
    const mapped = user({ attributes: { nickName: { template: '{name.preferredGivenName} J.' } } });

    expect(mapped).not.toHaveProperty('nickName');
  });

  it('omits a default attribute', () => {
    const mapped = user({
      attributes: { phoneNumbers: { omit: true }, 'enterprise:department': { omit: true } },
    });

    expect(mapped).not.toHaveProperty('phoneNumbers');
    expect(mapped[enterprise]).not.toHaveProperty('department');
  });

  it('adds extension attributes and omits the custom pass-through', () => {
    const mapped = user({
      extensionNamespace: namespace,
      attributes: {
        'extension:BadgeId': { from: 'custom.badgeId', case: 'lower' },
        'extension:WorkEmail': { from: 'emails[work].value' },
        'extension:Rehire': { from: 'employment.isRehire', default: false },
        'extension:*': { omit: true },
        'extension:UsageLocation': { omit: true },
      },
    });

    expect(mapped[namespace]).toEqual({
      HireDate: '2026-01-05',
      EmployeeType: 'Employee',
      BadgeId: 'b-701984',
      WorkEmail: 'worker.701984@contoso.example',
      Rehire: false,
    });
  });

  it('maps only the configured attributes when defaults are off', () => {
    const mapped = user({
      useDefaults: false,
      attributes: { externalId: { from: 'sourceWorkerId' }, active: { from: 'employment.active' } },
    });

    expect(mapped).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', enterprise],
      externalId: 'src-701984',
      active: true,
    });
  });

  it('uses a fallback source when the main one gives nothing', () => {
    const config: MappingConfig = {
      attributes: {
        nickName: { from: 'name.preferredGivenName', fallback: { from: 'name.givenName' } },
      },
    };

    expect(user(config).nickName).toBe('Barbara');
  });
});

describe('compileMapping transforms', () => {
  it.each([
    ['lower', 'engineer'],
    ['upper', 'ENGINEER'],
    ['title', 'Engineer'],
  ] as const)('changes case: %s', (mode, expected) => {
    expect(user({ attributes: { title: { from: 'job.title', case: mode } } }).title).toBe(expected);
  });

  it('title-cases every word', () => {
    const event = sampleWorkerEvent();
    event.worker.job = { title: 'senior SITE-reliability engineer' };

    expect(user({ attributes: { title: { from: 'job.title', case: 'title' } } }, event).title).toBe(
      'Senior Site-Reliability Engineer',
    );
  });

  it.each([
    ['date', '2026-01-05'],
    ['datetime', '2026-01-05T00:00:00Z'],
    ['yyyyMMdd', '20260105'],
  ] as const)('formats a calendar date: %s', (dateFormat, expected) => {
    const mapped = user({
      extensionNamespace: namespace,
      attributes: { 'extension:HireDate': { from: 'employment.hireDate', dateFormat } },
    });

    expect((mapped[namespace] as Record<string, unknown>).HireDate).toBe(expected);
  });

  it.each([
    ['date', '2026-03-01'],
    ['datetime', '2026-03-01T22:30:00Z'],
    ['yyyyMMdd', '20260301'],
  ] as const)('formats an instant in UTC: %s', (dateFormat, expected) => {
    const event = sampleWorkerEvent();
    event.worker.sourceUpdatedAt = '2026-03-02T00:30:00+02:00';

    const mapped = user(
      {
        extensionNamespace: namespace,
        attributes: { 'extension:Updated': { from: 'sourceUpdatedAt', dateFormat } },
      },
      event,
    );

    expect((mapped[namespace] as Record<string, unknown>).Updated).toBe(expected);
  });

  it('trims, and a value trimmed to nothing is absent', () => {
    const event = sampleWorkerEvent();
    event.worker.job = { title: '  Engineer ', department: '   ' };

    const mapped = user(
      {
        attributes: {
          title: { from: 'job.title', trim: true },
          'enterprise:department': { from: 'job.department', trim: true },
        },
      },
      event,
    );

    expect(mapped.title).toBe('Engineer');
    expect(mapped[enterprise]).not.toHaveProperty('department');
  });

  it('uses the default when the source has no value', () => {
    const event = sampleWorkerEvent();
    delete event.worker.job;

    expect(
      user({ attributes: { title: { from: 'job.title', default: 'Staff' } } }, event).title,
    ).toBe('Staff');
  });

  it('fails a record whose required attribute has no value, naming the attribute', () => {
    const event = sampleWorkerEvent();
    delete event.worker.userName;

    expect(
      mapOne({ attributes: { userName: { from: 'userName', required: true } } }, event),
    ).toEqual({
      ok: false,
      code: 'MAPPING_FAILED',
      reason: 'required attribute userName has no value',
    });
  });

  it('fails a record whose date cannot be read, without quoting the value', () => {
    const event = sampleWorkerEvent();
    event.worker.job = { title: 'not a date' };

    const result = mapOne(
      { attributes: { title: { from: 'job.title', dateFormat: 'date' } } },
      event,
    );

    expect(result).toEqual({
      ok: false,
      code: 'MAPPING_FAILED',
      reason: 'title: value is not a date or instant',
    });
  });
});

describe('SCIM validation', () => {
  it('refuses a template that produces a text where emails must be a list', () => {
    const result = mapOne({ attributes: { emails: { template: '{name.givenName}' } } });

    expect(result).toEqual({ ok: false, code: 'SCIM_INVALID', reason: '/emails: must be array' });
  });

  it('refuses an email value that is not an address, naming the path and not the value', () => {
    const event = sampleWorkerEvent();
    event.worker.emails = [{ value: 'Barbara Jensen', type: 'work' }];

    const result = mapOne({}, event);

    expect(result).toEqual({
      ok: false,
      code: 'SCIM_INVALID',
      reason: '/emails/0/value: must match format "email"',
    });
  });

  it('refuses a constant of the wrong type', () => {
    const result = mapOne({
      attributes: { active: { const: 'yes' }, 'name.givenName': { const: 7 } },
    });

    expect(result).toEqual({
      ok: false,
      code: 'SCIM_INVALID',
      reason: '/name/givenName: must be string; /active: must be boolean',
    });
  });

  it('refuses two primary elements in one multi-valued attribute', () => {
    const event = sampleWorkerEvent();
    event.worker.phones = [
      { value: '+1 425 555 0100', type: 'work', primary: true },
      { value: '+1 425 555 0101', type: 'mobile', primary: true },
    ];

    const result = mapOne({}, event);

    expect(result).toEqual({
      ok: false,
      code: 'SCIM_INVALID',
      reason: '/phoneNumbers: at most one element may be primary',
    });
  });

  it('refuses a manager display name without the manager reference', () => {
    const result = mapOne({
      attributes: { 'enterprise:manager.displayName': { const: 'John Smith' } },
    });

    expect(result).toEqual({
      ok: false,
      code: 'SCIM_INVALID',
      reason: `/${enterprise}/manager/value: is required`,
    });
  });

  it('refuses a missing externalId', () => {
    const result = mapOne({ attributes: { externalId: { from: 'userName' } } }, withoutUserName());

    expect(result).toEqual({ ok: false, code: 'SCIM_INVALID', reason: '/externalId: is required' });
  });
});

describe('configuration errors', () => {
  it('names the key path of an unknown canonical path and an unknown SCIM attribute', () => {
    const message = configError({
      attributes: {
        title: { from: 'job.titel' },
        password: { const: 'x' },
        displayName: { template: 'Dr. {name.surname}' },
      },
    });

    expect(message).toBe(
      'targets.yaml: /targets/0/mapping: /attributes/displayName/template: unknown canonical path ' +
        '"name.surname"; /attributes/title/from: unknown canonical path "job.titel"; ' +
        '/attributes/password: unknown SCIM attribute',
    );
  });

  it('names the key path of a schema violation', () => {
    expect(configError({ attributes: { title: { from: 'job.title', case: 'camel' } } })).toBe(
      'targets.yaml: /targets/0/mapping: /attributes/title/case: must be one of "lower", "upper", "title"',
    );
    expect(configError({ extensionNamespace: 'contoso' })).toMatch(
      /\/extensionNamespace: must match pattern/,
    );
  });

  it('needs exactly one source per rule', () => {
    expect(configError({ attributes: { title: { from: 'job.title', const: 'x' } } })).toBe(
      'targets.yaml: /targets/0/mapping: /attributes/title: needs exactly one of from, const, template, omit',
    );
  });

  it('refuses an extension attribute without a namespace, and a broken template', () => {
    const message = configError({
      attributes: {
        'extension:BadgeId': { from: 'custom.badgeId' },
        nickName: { template: '{name.givenName' },
      },
    });

    expect(message).toContain('/attributes/extension:BadgeId: needs extensionNamespace');
    expect(message).toContain('/attributes/nickName/template: "{" at offset 0 is never closed');
  });

  it('keeps a canonical array to its SCIM counterpart', () => {
    expect(configError({ attributes: { emails: { from: 'phones' } } })).toContain(
      '/attributes/emails/from: the canonical array "phones" cannot feed this attribute',
    );
  });

  it('requires externalId when the defaults are off', () => {
    expect(
      configError({ useDefaults: false, attributes: { title: { from: 'job.title' } } }),
    ).toContain('/attributes/externalId: is required');
  });
});

function withJobCode(jobCode: string): WorkerEvent {
  const event = sampleWorkerEvent();
  event.worker.job = { ...event.worker.job, jobCode };
  return event;
}

function withoutUserName(): WorkerEvent {
  const event = sampleWorkerEvent();
  delete event.worker.userName;
  return event;
}
