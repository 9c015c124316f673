import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of this package, where the Maven descriptor and the log4j2 configuration live. */
export const packageDir = fileURLToPath(new URL('..', import.meta.url));

export const repoDir = resolve(packageDir, '..', '..');

export const pomFile = join(packageDir, 'jvm', 'pom.xml');

export const log4jConfigFile = join(packageDir, 'jvm', 'log4j2.properties');

/** Jars land in `<cache>/<version>/libs`; `.cache/` is ignored by git. */
export const defaultCacheDir = join(repoDir, '.cache', 'kafka');

/** The development broker's data, logs and pid file. `.data/` is ignored by git. */
export const devDataDir = join(repoDir, '.data', 'kafka');
