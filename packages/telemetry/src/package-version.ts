import { readFileSync } from 'node:fs';

/** The `version` of a package.json, for `service.version`; `0.0.0` when it has none. */
export function packageVersion(packageJson: URL): string {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '0.0.0';
}
