import { describe, expect, it } from '@jest/globals';
import { parseLogFilter } from '../../src/provisioning/log-filter.ts';
import type { LogRecord } from '../../src/provisioning/log-record.ts';

const record = {
  jobId: "API2AAD.o'brien",
  cycleId: 'c1',
  sourceId: '701985',
  status: 'success',
  timeMs: Date.parse('2026-01-02T03:04:05Z'),
  servicePrincipal: { id: 'sp' },
  target: null,
} as unknown as LogRecord;

const matches = (filter: string) => {
  const parsed = parseLogFilter(filter);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.predicate(record);
};

describe('parseLogFilter', () => {
  it('reads quoted strings with doubled quotes, parentheses and case-insensitive names', () => {
    expect(matches("jobid eq 'API2AAD.o''brien'")).toBe(true);
    expect(matches("(JobId eq 'API2AAD.o''brien') and (sourceIdentity/id eq '701985')")).toBe(true);
    expect(matches("sourceIdentity/id eq '701984'")).toBe(false);
  });

  it('compares string values case-sensitively, as Graph does', () => {
    expect(matches("statusInfo/status eq 'Success'")).toBe(false);
  });

  it('compares activityDateTime as a time and a missing target as null', () => {
    expect(matches('activityDateTime ge 2026-01-02T03:04:05Z')).toBe(true);
    expect(matches('activityDateTime gt 2026-01-02T03:04:05Z')).toBe(false);
    expect(matches('targetIdentity/id eq null')).toBe(true);
  });

  it('explains what it cannot parse', () => {
    const result = parseLogFilter("jobid startswith 'x'");
    expect(result).toEqual({ ok: false, message: expect.stringContaining('operator') });
  });
});
