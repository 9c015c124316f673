import { createSecretKey } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { createLogger, workerRef } from '@tributary/logger';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, stream };
}

describe('createLogger', () => {
  test('writes one JSON object per line with the service and a level name', () => {
    const out = capture();
    const log = createLogger({ service: 'uploader', destination: out.stream });

    log.info({ batchSize: 50, jobId: 'job-1' }, 'bulk upload accepted');

    expect(out.lines()).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'uploader',
        batchSize: 50,
        jobId: 'job-1',
        msg: 'bulk upload accepted',
      }),
    ]);
  });

  test('censors personal data and secrets wherever an object carries them', () => {
    const out = capture();
    const log = createLogger({ service: 'adapter', destination: out.stream });

    log.warn(
      {
        email: 'kathy.jones@example.com',
        event: { worker: { name: { givenName: 'Kathy' } } },
        request: { headers: { authorization: 'Bearer eyJ0eXAi' } },
        connection: { clientSecret: 's3cr3t' },
      },
      'refused',
    );

    const text = JSON.stringify(out.lines());
    expect(text).not.toContain('kathy');
    expect(text).not.toContain('Kathy');
    expect(text).not.toContain('eyJ0eXAi');
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('[redacted]');
  });

  test("censors inside arrays and child bindings, and leaves the caller's object alone", () => {
    const out = capture();
    const log = createLogger({ service: 'uploader', destination: out.stream });
    const fields = { job: 'job-1', workers: [{ userName: 'kjones', externalId: '701984' }] };

    log.child({ tenant: { displayName: 'Contoso HR' } }).info(fields, 'batch');

    const [line] = out.lines();
    expect(line).toMatchObject({
      job: 'job-1',
      tenant: { displayName: '[redacted]' },
      workers: [{ userName: '[redacted]', externalId: '701984' }],
    });
    expect(fields.workers[0]!.userName).toBe('kjones');
  });

  test('keeps errors readable', () => {
    const out = capture();
    const log = createLogger({ service: 'uploader', destination: out.stream });

    log.error({ err: new TypeError('socket hang up'), code: 'KAFKA_UNAVAILABLE' }, 'send failed');

    expect(out.lines()[0]).toMatchObject({
      code: 'KAFKA_UNAVAILABLE',
      err: { type: 'TypeError', message: 'socket hang up' },
    });
  });
});

describe('workerRef', () => {
  test('is stable for one key and differs across workers and keys', () => {
    const a = workerRef('bamboohr:acme:701984', 'k1');

    expect(workerRef('bamboohr:acme:701984', 'k1')).toBe(a);
    expect(workerRef('bamboohr:acme:701985', 'k1')).not.toBe(a);
    expect(workerRef('bamboohr:acme:701984', 'k2')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  test('gives the same reference for the key as a string or as a key object', () => {
    const key = createSecretKey(Buffer.from('k1'));

    expect(workerRef('bamboohr:acme:701984', key)).toBe(workerRef('bamboohr:acme:701984', 'k1'));
  });
});
