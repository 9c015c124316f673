import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, test } from '@jest/globals';
import { isTributaryError } from '@tributary/errors';
import { loadConfigFile, resolveSecret, secretRefSchema, type SecretRef } from '@tributary/config';

const schema = {
  type: 'object',
  required: ['connections'],
  additionalProperties: false,
  properties: {
    connections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'tenantId', 'secret'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9-]+$' },
          tenantId: { type: 'string', format: 'uuid' },
          lingerMs: { type: 'integer', minimum: 0, default: 500 },
          secret: secretRefSchema,
        },
      },
    },
  },
};

interface File {
  connections: { id: string; tenantId: string; lingerMs: number; secret: SecretRef }[];
}

function write(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tributary-config-')), name);
  writeFileSync(path, text);
  return path;
}

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('loadConfigFile', () => {
  test('reads YAML, fills defaults and returns the typed value', () => {
    const path = write(
      'connections.yaml',
      [
        'connections:',
        '  - id: acme-bamboohr',
        '    tenantId: 8c2d6b4a-6f3e-4a8e-9d1b-2f1e3c4d5a6b',
        '    secret: { env: ACME_SECRET }',
      ].join('\n'),
    );

    const file = loadConfigFile<File>(path, schema);

    expect(file.connections[0]).toEqual({
      id: 'acme-bamboohr',
      tenantId: '8c2d6b4a-6f3e-4a8e-9d1b-2f1e3c4d5a6b',
      lingerMs: 500,
      secret: { env: 'ACME_SECRET' },
    });
  });

  test('names every bad key by its path', () => {
    const path = write(
      'connections.json',
      JSON.stringify({
        connections: [
          { id: 'ok', tenantId: '8c2d6b4a-6f3e-4a8e-9d1b-2f1e3c4d5a6b', secret: { env: 'X' } },
          { id: 'Bad Id', tenantId: 'not-a-uuid', lingerMs: -1, secret: { env: 'X' }, extra: 1 },
        ],
      }),
    );

    const error = failure(() => loadConfigFile(path, schema));

    expect(isTributaryError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toContain('/connections/1/id: must match pattern');
    expect(error.message).toContain('/connections/1/tenantId: must match format "uuid"');
    expect(error.message).toContain('/connections/1/lingerMs: must be >= 0');
    expect(error.message).toContain('/connections/1: unknown key "extra"');
    expect(error.message).not.toContain('/connections/0');
  });

  test('reports a missing key, a syntax error and an unreadable file distinctly', () => {
    const missing = failure(() =>
      loadConfigFile(write('a.yaml', 'connections:\n  - id: x\n'), schema),
    );
    const syntax = failure(() => loadConfigFile(write('b.json', '{"connections": ['), schema));
    const absent = failure(() => loadConfigFile('/nonexistent/tributary.yaml', schema));

    expect(missing.message).toContain('/connections/0/tenantId: is required');
    expect(isTributaryError(syntax, 'CONFIG_INVALID')).toBe(true);
    expect(syntax.message).toContain('not valid YAML or JSON');
    expect(isTributaryError(absent, 'CONFIG_UNREADABLE')).toBe(true);
  });
});

describe('resolveSecret', () => {
  test('reads the environment or a file and never prints the value', () => {
    const fromEnv = resolveSecret({ env: 'S' }, 'connections/0/secret', { S: 'hunter2' });
    const fromFile = resolveSecret({ file: write('secret', 'from-file\n') }, 'x');

    expect(fromEnv.reveal()).toBe('hunter2');
    expect(fromFile.reveal()).toBe('from-file');
    expect(`${fromEnv}`).toBe('[secret]');
    expect(JSON.stringify({ fromEnv })).not.toContain('hunter2');
    expect(inspect({ fromEnv })).not.toContain('hunter2');
  });

  test('fails with the key path when the variable is unset', () => {
    const error = failure(() => resolveSecret({ env: 'NOPE' }, '/connections/2/secret', {}));

    expect(error.message).toBe('/connections/2/secret: environment variable NOPE is not set');
  });
});
