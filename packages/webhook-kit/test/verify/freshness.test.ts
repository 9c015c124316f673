import { describe, expect, it } from '@jest/globals';
import { isFresh, parseSignedTimestamp } from '../../src/verify/freshness.ts';

describe('parseSignedTimestamp', () => {
  it('reads Unix seconds and ISO 8601 with a zone, with or without a colon', () => {
    expect(parseSignedTimestamp('1674087231')?.toISOString()).toBe('2023-01-19T00:13:51.000Z');
    expect(parseSignedTimestamp('2026-01-31T18:42:00+0000')?.toISOString()).toBe(
      '2026-01-31T18:42:00.000Z',
    );
    expect(parseSignedTimestamp('2026-01-31T20:42:00+02:00')?.toISOString()).toBe(
      '2026-01-31T18:42:00.000Z',
    );
    expect(parseSignedTimestamp('2026-01-31T18:42:00.123Z')?.toISOString()).toBe(
      '2026-01-31T18:42:00.123Z',
    );
  });

  it('refuses anything else', () => {
    for (const text of [
      '',
      'now',
      '2026-01-31',
      '2026-01-31T18:42:00',
      '1e9',
      '-5',
      '2026-13-45T00:00:00Z',
    ]) {
      expect(parseSignedTimestamp(text)).toBeUndefined();
    }
  });
});

describe('isFresh', () => {
  it('accepts five minutes either way and not a second more', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(isFresh(new Date(now - 300_000), 300_000, now)).toBe(true);
    expect(isFresh(new Date(now + 300_000), 300_000, now)).toBe(true);
    expect(isFresh(new Date(now - 301_000), 300_000, now)).toBe(false);
    expect(isFresh(new Date(now + 301_000), 300_000, now)).toBe(false);
  });
});
