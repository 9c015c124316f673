import { describe, expect, test } from '@jest/globals';
import { BatchProgress } from '../../src/delivery/batch-progress.ts';

/** Whether `promise` has settled by the time queued callbacks have run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('BatchProgress', () => {
  test('is done only once every record is settled', async () => {
    const batch = new BatchProgress(3);
    batch.settled();
    batch.settled();
    expect(await settledYet(batch.done)).toBe(false);
    expect(batch.left).toBe(1);

    batch.settled();
    await expect(batch.done).resolves.toBeUndefined();
  });

  test('an empty batch is done at once', async () => {
    await expect(new BatchProgress(0).done).resolves.toBeUndefined();
  });

  test('a record handed back fails the batch, but only once the others are done too', async () => {
    const batch = new BatchProgress(3);
    batch.handedBack(new Error('partition revoked'));
    batch.settled();
    expect(await settledYet(batch.done)).toBe(false);

    batch.handedBack(new Error('stopping'));
    // The first reason is the one reported.
    await expect(batch.done).rejects.toThrow('partition revoked');
  });

  test('more records done than the batch holds is a bug, reported at once', () => {
    const batch = new BatchProgress(1);
    batch.settled();
    expect(() => batch.settled()).toThrow('more records done than the batch holds');
  });
});
