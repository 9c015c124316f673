import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, test } from '@jest/globals';
import { TributaryError } from '@tributary/errors';
import { ensureKafkaDistribution } from '@tributary/kafka-broker';

describe('ensureKafkaDistribution from Maven Central', () => {
  let cacheDir: string | undefined;

  afterEach(async () => {
    if (cacheDir !== undefined) await rm(cacheDir, { recursive: true, force: true });
  });

  test('a release that does not exist fails clearly and leaves no half-filled cache', async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'kafka-cache-test-'));

    const failure = ensureKafkaDistribution({ cacheDir, version: '0.0.0-none' });

    await expect(failure).rejects.toBeInstanceOf(TributaryError);
    await expect(failure).rejects.toMatchObject({ code: 'KAFKA_DISTRIBUTION_UNAVAILABLE' });
    await expect(failure).rejects.toThrow(/0\.0\.0-none/);
    expect(await readdir(join(cacheDir, '0.0.0-none'))).toEqual([]);
  }, 120_000);
});
