import { describe, expect, test } from '@jest/globals';

import { randomKafkaUuid } from '../src/kafka-uuid.ts';

describe('randomKafkaUuid', () => {
  test('is 16 random bytes in base64url that never read as a command-line option', () => {
    const ids = Array.from({ length: 2_000 }, randomKafkaUuid);

    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });
});
