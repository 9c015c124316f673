import { describe, expect, test } from '@jest/globals';
import { isTributaryError } from '@tributary/errors';
import { workerEventCodec } from '@tributary/kafka';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('workerEventCodec', () => {
  test('round-trips a valid event unchanged', () => {
    const event = sampleWorkerEvent({ managerEmployeeId: '100' });

    expect(workerEventCodec.decode(workerEventCodec.encode(event))).toEqual(event);
  });

  test('refuses to encode an invalid event, naming the path', () => {
    const event = sampleWorkerEvent();
    (event.worker as { employeeId?: string }).employeeId = undefined;

    const error = failure(() => workerEventCodec.encode(event));

    expect(isTributaryError(error, 'MESSAGE_INVALID')).toBe(true);
    expect(error.message).toContain('/worker/employeeId is required');
  });

  test('reports bytes that are not JSON, empty, or not an event, each with its own code', () => {
    const notJson = failure(() => workerEventCodec.decode(Buffer.from('{"eventId":')));
    const empty = failure(() => workerEventCodec.decode(null));
    const notEvent = failure(() => workerEventCodec.decode(Buffer.from('{"hello":"world"}')));

    expect(isTributaryError(notJson, 'MESSAGE_UNDECODABLE')).toBe(true);
    expect(isTributaryError(empty, 'MESSAGE_UNDECODABLE')).toBe(true);
    expect(isTributaryError(notEvent, 'MESSAGE_INVALID')).toBe(true);
    expect(notEvent.message).toContain('/hello is not allowed');
  });
});
