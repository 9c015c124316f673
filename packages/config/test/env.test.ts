import { describe, expect, test } from '@jest/globals';
import { readEnv, setting } from '@tributary/config';

const spec = {
  brokers: setting({ env: 'KAFKA_BROKERS', kind: 'list', default: ['127.0.0.1:9092'] }),
  port: setting({ env: 'PORT', kind: 'integer', default: 8080, min: 0, max: 65535 }),
  pretty: setting({ env: 'PRETTY', kind: 'boolean', default: false }),
  level: setting({ env: 'LOG_LEVEL', kind: 'string', oneOf: ['info', 'debug'] }),
};

describe('readEnv', () => {
  test('parses typed values and falls back to defaults', () => {
    const config = readEnv(spec, { KAFKA_BROKERS: 'a:1, b:2', PRETTY: 'yes' });

    expect(config).toEqual({
      brokers: ['a:1', 'b:2'],
      port: 8080,
      pretty: true,
      level: undefined,
    });
  });

  test('reports every bad variable by name at once', () => {
    expect(() => readEnv(spec, { PORT: '70000', PRETTY: 'maybe', LOG_LEVEL: 'loud' })).toThrow(
      'environment: PORT: expected 0..65535; PRETTY: expected true or false; ' +
        'LOG_LEVEL: expected one of info, debug',
    );
  });
});
