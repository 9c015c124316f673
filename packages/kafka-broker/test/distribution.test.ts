import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, test } from '@jest/globals';
import { KAFKA_VERSION, ensureKafkaDistribution } from '@tributary/kafka-broker';

describe('ensureKafkaDistribution', () => {
  let cacheDir: string | undefined;

  afterEach(async () => {
    if (cacheDir !== undefined) await rm(cacheDir, { recursive: true, force: true });
  });

  test('uses cached jars without running Maven', async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'kafka-cache-test-'));
    const libsDir = join(cacheDir, 'x.y.z', 'libs');
    await mkdir(libsDir, { recursive: true });

    // With no mvn on PATH, a cache miss would fail; a hit never looks for it.
    const path = process.env['PATH'];
    process.env['PATH'] = '';
    try {
      const distribution = await ensureKafkaDistribution({ cacheDir, version: 'x.y.z' });
      expect(distribution).toMatchObject({
        version: 'x.y.z',
        libsDir,
        classpath: join(libsDir, '*'),
      });
    } finally {
      process.env['PATH'] = path;
    }
  });

  test('pins a Kafka 4 release', () => {
    expect(KAFKA_VERSION).toMatch(/^4\.\d+\.\d+$/);
  });
});
