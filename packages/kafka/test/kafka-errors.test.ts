import { describe, expect, test } from '@jest/globals';
import { TributaryError } from '@tributary/errors';
import { toTributaryError } from '@tributary/kafka';
import kafkajs from 'kafkajs';

const { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError } = kafkajs;

describe('toTributaryError', () => {
  test('a broker that cannot be reached is unavailable, however deep KafkaJS wrapped it', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    // As KafkaJS gives up on a request: the connection error rides along as the cause.
    const wrapped = Object.assign(new KafkaJSNonRetriableError(refused), { cause: refused });

    expect(toTributaryError(refused, 'send to t').code).toBe('KAFKA_UNAVAILABLE');
    expect(toTributaryError(wrapped, 'send to t').code).toBe('KAFKA_UNAVAILABLE');
  });

  test('a retriable protocol error is unavailable; a refused write is a failed send', () => {
    const noLeader = new KafkaJSProtocolError({
      message: 'There is no leader for this topic-partition',
      type: 'LEADER_NOT_AVAILABLE',
      code: 5,
      retriable: true,
    } as never);
    const tooLarge = new KafkaJSProtocolError({
      message: 'The request included a message larger than the max message size',
      type: 'MESSAGE_TOO_LARGE',
      code: 10,
      retriable: false,
    } as never);

    expect(toTributaryError(noLeader, 'send to t').code).toBe('KAFKA_UNAVAILABLE');
    const failed = toTributaryError(tooLarge, 'send to t');
    expect(failed.code).toBe('KAFKA_SEND_FAILED');
    expect(failed.message).toMatch(/^send to t: /);
  });

  test('what is not from KafkaJS is a failed send, and a Tributary error stays as it is', () => {
    expect(toTributaryError(new Error('boom'), 'send to t').code).toBe('KAFKA_SEND_FAILED');
    const own = new TributaryError('KAFKA_UNAVAILABLE', 'send to t: no acknowledgement');
    expect(toTributaryError(own, 'send to t')).toBe(own);
  });
});
