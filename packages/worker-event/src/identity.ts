import { createHash, randomFillSync } from 'node:crypto';
import type { WorkerEvent } from './types.ts';

// Random bytes drawn 256 ids at a time: one system call per id cost an adapter about 5% of its
// CPU under load.
const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;

/**
 * A UUID version 7: 48 bits of Unix milliseconds, then randomness. Event ids sort by creation
 * time, which makes logs and topic dumps easier to read.
 */
export function newEventId(now: number = Date.now()): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, (poolOffset += 16)));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The Kafka key of a worker's events. One worker's events share a key, hence a partition, hence
 * an order. The connection is part of it because employee numbers are unique only per source.
 */
export function workerKey(event: Pick<WorkerEvent, 'source' | 'worker'>): string {
  return `${event.source.connectionId}/${event.worker.employeeId}`;
}

/**
 * The idempotency key of a delivery: the vendor's delivery id where it has one, otherwise a digest
 * of the exact bytes it sent, so a redelivery of the same body maps to the same key.
 */
export function idempotencyKey(
  connectionId: string,
  deliveryId: string | undefined,
  rawBody: Buffer | string,
): string {
  const discriminator =
    deliveryId ?? `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
  return `${connectionId}:${discriminator}`;
}
