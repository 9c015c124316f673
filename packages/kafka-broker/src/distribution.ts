import { access, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { TributaryError } from '@tributary/errors';

import { defaultCacheDir, log4jConfigFile, pomFile } from './paths.ts';
import { lastLines, runCommand } from './run-command.ts';

/**
 * The pinned Apache Kafka release. 4.4.0 is the newest 4.x on Maven Central here, and its broker
 * and tools are compiled for Java 17 (class file version 61), the machine's default `java`.
 * docker-compose.yml pins the same version of the `apache/kafka` image.
 */
export const KAFKA_VERSION = '4.4.0';

export interface KafkaDistribution {
  version: string;
  libsDir: string;
  /** A `java -cp` value: the JVM expands `<libs>/*` to every jar in the folder. */
  classpath: string;
  log4jConfigFile: string;
}

export interface DistributionOptions {
  /** Defaults to KAFKA_VERSION. */
  version?: string;
  /** Defaults to `<repo>/.cache/kafka`. */
  cacheDir?: string;
  /** Upper bound for the Maven run on a cold cache. */
  fetchTimeoutMs?: number;
}

/**
 * Makes sure the jars of a Kafka broker are in the cache and says where they are. The first call
 * resolves `org.apache.kafka:kafka_2.13` and its runtime dependencies from Maven Central with
 * `mvn`; later calls only check that the folder exists.
 */
export async function ensureKafkaDistribution(
  options: DistributionOptions = {},
): Promise<KafkaDistribution> {
  const version = options.version ?? KAFKA_VERSION;
  const versionDir = join(options.cacheDir ?? defaultCacheDir, version);
  const libsDir = join(versionDir, 'libs');

  if (!(await exists(libsDir))) {
    await fetchLibs(version, versionDir, libsDir, options.fetchTimeoutMs ?? 600_000);
  }

  return { version, libsDir, classpath: join(libsDir, '*'), log4jConfigFile };
}

/**
 * Maven copies into a private staging folder that is renamed into place only when complete, so
 * an interrupted fetch never looks like a cache hit and two processes warming the cache at once
 * (the dev script and a test run) cannot see each other's half-copied jars.
 */
async function fetchLibs(
  version: string,
  versionDir: string,
  libsDir: string,
  timeoutMs: number,
): Promise<void> {
  await mkdir(versionDir, { recursive: true });
  const stagingDir = await mkdtemp(join(versionDir, 'libs-staging-'));

  try {
    const args = [
      '-B',
      '-q',
      '-Dstyle.color=never',
      '-f',
      pomFile,
      `-Dkafka.version=${version}`,
      `-Dkafka.libs=${stagingDir}`,
      'dependency:copy-dependencies',
    ];
    const result = await runCommand('mvn', args, { timeoutMs }).catch((cause: unknown) => {
      throw new TributaryError(
        'KAFKA_DISTRIBUTION_UNAVAILABLE',
        'cannot run mvn; is Maven installed?',
        {
          cause,
          retryable: false,
        },
      );
    });

    const jars = await readdir(stagingDir);
    if (result.exitCode !== 0 || !jars.includes(`kafka_2.13-${version}.jar`)) {
      throw new TributaryError(
        'KAFKA_DISTRIBUTION_UNAVAILABLE',
        `mvn could not fetch Kafka ${version} (exit ${result.exitCode ?? result.signal}):\n` +
          lastLines(result.output, 30),
        { details: { version } },
      );
    }

    await rename(stagingDir, libsDir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished first; its copy is as good as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
