import { describe, expect, it } from '@jest/globals';
import { applyCase, formatDate } from '../../src/mapping/transforms.ts';

describe('formatDate', () => {
  it('never shifts a calendar day', () => {
    expect(formatDate('2026-12-31', 'datetime')).toBe('2026-12-31T00:00:00Z');
    expect(formatDate('2026-12-31', 'yyyyMMdd')).toBe('20261231');
  });

  it('keeps the milliseconds of an instant that has them', () => {
    expect(formatDate('2026-01-05T08:00:00.250-05:00', 'datetime')).toBe(
      '2026-01-05T13:00:00.250Z',
    );
  });

  it('refuses text that is neither a date nor an instant', () => {
    expect(formatDate('January 5th', 'date')).toBeUndefined();
    expect(formatDate('2026', 'date')).toBeUndefined();
  });
});

describe('applyCase', () => {
  it('title-cases letters beyond ASCII', () => {
    expect(applyCase('ÉMILE du châtelet', 'title')).toBe('Émile Du Châtelet');
  });
});
