import { describe, expect, it } from '@jest/globals';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { resolveCanonicalPath } from '../../src/mapping/canonical-paths.ts';

describe('resolveCanonicalPath', () => {
  const worker = sampleWorkerEvent().worker;
  worker.emails = [
    { value: 'home@example.org', type: 'personal' },
    { value: 'old@contoso.example', type: 'work' },
    { value: 'new@contoso.example', type: 'work', primary: true },
  ];

  it('knows the fields of the v1 schema and their types', () => {
    expect(resolveCanonicalPath('job.title')?.get(worker)).toBe('Engineer');
    expect(resolveCanonicalPath('employment.active')?.types).toEqual(['boolean']);
    expect(resolveCanonicalPath('job.employeeType')?.types).toEqual(['string']);
    expect(resolveCanonicalPath('custom.badgeId')?.get(worker)).toBe('B-701984');
  });

  it('picks one element of a canonical array by type, preferring the primary one', () => {
    expect(resolveCanonicalPath('emails[work].value')?.get(worker)).toBe('new@contoso.example');
    expect(resolveCanonicalPath('emails[personal].value')?.get(worker)).toBe('home@example.org');
    expect(resolveCanonicalPath('emails[primary].value')?.get(worker)).toBe('new@contoso.example');
    expect(resolveCanonicalPath('emails[other].value')?.get(worker)).toBeUndefined();
  });

  it('rejects what the schema does not define', () => {
    for (const path of [
      'job.titel',
      'job',
      'customAttributes',
      'emails[pager].value',
      'emails[work].type',
      'custom.9x',
    ]) {
      expect(resolveCanonicalPath(path)).toBeUndefined();
    }
  });
});
