import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, test } from '@jest/globals';
import { Partitioners, type PartitionMetadata } from 'kafkajs';

// KafkaJS is patched (patches/kafkajs@2.2.4.patch), mostly for speed. A wrong checksum makes the
// broker refuse whole batches, and a different hash moves a worker's records to another
// partition, out of order with the older ones: both are held to values from their definitions.
const require = createRequire(import.meta.url);
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: string | Buffer,
) => number;

/** One bit per step, straight from the polynomial: slow, and obviously right. */
function referenceCrc32C(buffer: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('KafkaJS CRC32C', () => {
  test.each([
    ['the check string 123456789', Buffer.from('123456789'), 0xe3069283],
    ['32 zero bytes', Buffer.alloc(32, 0x00), 0x8a9136aa],
    ['32 bytes of 0xff', Buffer.alloc(32, 0xff), 0x62a8ab43],
    ['bytes 0 to 31', Buffer.from(Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e],
    ['bytes 31 to 0', Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c],
    ['nothing', Buffer.alloc(0), 0],
  ])('%s', (_name, input, expected) => {
    expect(crc32C(input)).toBe(expected);
  });

  test('agrees with the bitwise definition at every length and alignment', () => {
    const source = randomBytes(4_200);
    for (let length = 0; length <= 70; length++) {
      for (let offset = 0; offset < 8; offset++) {
        const slice = source.subarray(offset, offset + length);
        expect(crc32C(slice)).toBe(referenceCrc32C(slice));
      }
    }
    // About a record batch's size, unaligned.
    const batch = source.subarray(3, 4_103);
    expect(crc32C(batch)).toBe(referenceCrc32C(batch));
  });
});

describe('KafkaJS murmur2 and the default partitioner', () => {
  // The Java client's own test values.
  test.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('murmur2(%j)', (key, expected) => {
    expect(murmur2(key)).toBe(expected);
    expect(murmur2(Buffer.from(key))).toBe(expected);
  });

  test('hashes a string key by its UTF-8 bytes, whatever its length', () => {
    const long = `hr/${'x'.repeat(600)}é`;
    expect(murmur2(long)).toBe(murmur2(Buffer.from(long)));
    expect(murmur2('bench/é☃')).toBe(murmur2(Buffer.from('bench/é☃')));
    // The buffer reused for string keys must not leak the previous, longer key.
    expect(murmur2('ab')).toBe(murmur2(Buffer.from('ab')));
  });

  test('sends a key to the partition its hash names', () => {
    const partitionMetadata = [0, 1, 2].map(
      (partitionId) => ({ partitionId, leader: 1 }) as PartitionMetadata,
    );
    const partition = Partitioners.DefaultPartitioner();
    for (const key of ['21', 'foobar', 'abc', 'merge/M-1']) {
      expect(partition({ topic: 't', partitionMetadata, message: { key, value: null } })).toBe(
        (murmur2(key) & 0x7fffffff) % 3,
      );
    }
  });
});

describe('KafkaJS request queue', () => {
  // In a process of its own: a timer left armed keeps that process alive (the run is cut off and
  // fails), and Node's negative-delay warning is process-wide, which a test runner may hide.
  const run = (body: string): string[] => {
    const script = `
      const RequestQueue = require('kafkajs/src/network/requestQueue');
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const queue = new RequestQueue({
        maxInFlightRequests: 1, requestTimeout: 1000, logger, broker: 'b', clientId: 'c',
      });
      process.on('warning', (warning) => console.log(warning.name));
      ${body}`;
    const output = execFileSync(process.execPath, ['-e', script], {
      cwd: import.meta.dirname,
      encoding: 'utf8',
      timeout: 10_000,
    });
    return output.trim().split('\n');
  };

  test('arms no timer while nothing is pending', () => {
    // Unpatched, an idle queue checked itself about a thousand times a second, forever.
    const lines = run(`
      let checks = 0;
      const check = queue.checkPendingRequests.bind(queue);
      queue.checkPendingRequests = () => { checks += 1; check(); };
      queue.checkPendingRequests();
      setTimeout(() => console.log('checks', checks), 100);`);
    expect(lines).toEqual(['checks 1']);
  });

  test('sends a request queued behind a broker throttle once the throttle ends', () => {
    const lines = run(`
      queue.maybeThrottle(60);
      const queuedAt = Date.now();
      queue.push({
        entry: {
          correlationId: 1, apiKey: 18, apiName: 'ApiVersions', apiVersion: 0, resolve() {},
        },
        expectResponse: false,
        sendRequest: () => console.log('sent', Date.now() - queuedAt >= 55),
      });
      console.log('queued', queue.pending.length);`);
    expect(lines).toEqual(['queued 1', 'sent true']);
  });
});

describe('KafkaJS variable-length numbers and record decoding', () => {
  interface Encoder {
    writeVarInt(value: number): unknown;
    writeUVarInt(value: number): unknown;
    writeVarLong(value: number | object): unknown;
    buffer: Buffer;
  }
  const Encoder = require('kafkajs/src/protocol/encoder') as {
    new (): Encoder;
    sizeOfVarLong(value: number): number;
  };
  const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => {
    readVarInt(): number;
    readUVarInt(): number;
    readVarLong(): { toString(): string };
  };
  const Long = require('kafkajs/src/utils/long') as {
    fromString(value: string): object;
    fromNumber(value: number): object;
  };
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
    RecordBatch(batch: object): Promise<{ buffer: Buffer }>;
  };
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (
    record: object,
  ) => object;
  const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (
    decoder: object,
  ) => Promise<{
    records: { offset: string; timestamp: string; key: Buffer; headers: object }[];
  }>;

  /** LEB128 of the zigzag value, in BigInt arithmetic: the definition, slowly. */
  function referenceVarLong(value: bigint): Buffer {
    let zigzag = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    const bytes: number[] = [];
    while (zigzag >= 0x80n) {
      bytes.push(Number(zigzag & 0x7fn) | 0x80);
      zigzag >>= 7n;
    }
    bytes.push(Number(zigzag));
    return Buffer.from(bytes);
  }

  const longs = [0, 1, -1, 63, 64, -64, -65, 300, -300, 2 ** 31 - 1, -(2 ** 31), 2 ** 31];
  longs.push(2 ** 40 + 5, -(2 ** 45) - 3, 2 ** 52 - 1, -(2 ** 52) + 1, 1_733_330_000_000);

  test.each(longs)('writes, sizes and reads %d as the definition says', (value) => {
    const expected = referenceVarLong(BigInt(value));
    const fast = new Encoder();
    fast.writeVarLong(value);
    const asLong = new Encoder();
    asLong.writeVarLong(Long.fromNumber(value));

    expect(fast.buffer).toEqual(expected);
    expect(asLong.buffer).toEqual(expected);
    expect(Encoder.sizeOfVarLong(value)).toBe(expected.length);
    expect(new Decoder(expected).readVarLong().toString()).toBe(String(value));
  });

  test.each(['9007199254740993', '-9223372036854775808', '9223372036854775807'])(
    'keeps 64-bit precision for %s, past what a number holds',
    (value) => {
      const expected = referenceVarLong(BigInt(value));
      const encoder = new Encoder();
      encoder.writeVarLong(Long.fromString(value));

      expect(encoder.buffer).toEqual(expected);
      expect(new Decoder(expected).readVarLong().toString()).toBe(value);
    },
  );

  test('writes and reads 32-bit varints in place', () => {
    for (const value of [0, 1, 127, 128, 16_383, 16_384, 2 ** 28, 2 ** 31 - 1]) {
      const encoder = new Encoder();
      encoder.writeUVarInt(value * 2);
      encoder.writeVarInt(-value - 1);
      const decoder = new Decoder(encoder.buffer);
      expect(decoder.readUVarInt()).toBe(value * 2);
      expect(decoder.readVarInt()).toBe(-value - 1);
    }
  });

  test('decodes the offsets, timestamps and headers of a record batch', async () => {
    const firstTimestamp = 1_733_330_000_123;
    const { buffer } = await RecordBatch({
      firstOffset: '9007199254740000',
      firstTimestamp,
      maxTimestamp: firstTimestamp + 9,
      lastOffsetDelta: 2,
      records: [0, 1, 2].map((n) =>
        Record({
          offsetDelta: n,
          timestampDelta: n * 3,
          key: Buffer.from(`k${n}`),
          value: Buffer.from('v'),
          headers: { one: 'a', two: ['b', 'c'] },
        }),
      ),
    });
    const { records } = await decodeBatch(new Decoder(buffer));

    expect(records.map((r) => r.offset)).toEqual([
      '9007199254740000',
      '9007199254740001',
      '9007199254740002',
    ]);
    expect(records.map((r) => r.timestamp)).toEqual(
      [0, 3, 6].map((delta) => String(firstTimestamp + delta)),
    );
    expect(records[2]!.headers).toEqual({
      one: Buffer.from('a'),
      two: [Buffer.from('b'), Buffer.from('c')],
    });
  });
});
