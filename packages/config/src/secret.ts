import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { TributaryError } from '@tributary/errors';

/** Where a secret comes from. Configuration files name a source, never the secret itself. */
export type SecretRef = { env: string } | { file: string };

export const secretRefSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['env'],
      additionalProperties: false,
      properties: { env: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      required: ['file'],
      additionalProperties: false,
      properties: { file: { type: 'string', minLength: 1 } },
    },
  ],
} as const;

/**
 * A secret value that refuses to be printed: string conversion, JSON and util.inspect all give
 * a placeholder, so a secret logged by mistake or dumped with its configuration leaks nothing.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [inspect.custom](): string {
    return '[secret]';
  }
}

/**
 * Reads a secret from the environment or from a file (a Kubernetes secret volume, say). A file's
 * trailing newline is dropped, since editors and `kubectl create secret --from-file` add one.
 */
export function resolveSecret(
  ref: SecretRef,
  where: string,
  env: NodeJS.ProcessEnv = process.env,
): Secret {
  if ('env' in ref) {
    const value = env[ref.env];
    if (value === undefined || value === '') {
      throw new TributaryError(
        'CONFIG_INVALID',
        `${where}: environment variable ${ref.env} is not set`,
      );
    }
    return new Secret(value);
  }
  try {
    return new Secret(readFileSync(ref.file, 'utf8').replace(/\r?\n$/, ''));
  } catch (cause) {
    throw new TributaryError('CONFIG_UNREADABLE', `${where}: cannot read secret file ${ref.file}`, {
      cause,
    });
  }
}
