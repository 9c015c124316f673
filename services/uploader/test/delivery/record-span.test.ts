import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { ROOT_CONTEXT, context, trace, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import type { ConsumedRecord } from '@tributary/kafka';
import { workerRef } from '@tributary/logger';
import { attributes, workerRefKey } from '@tributary/telemetry';
import { traceRecord } from '../../src/delivery/record-span.ts';

const exporter = new InMemorySpanExporter();
// One provider for the file, as in the service: the module's tracer keeps the first it sees.
// Each test picks the sampling decision.
let sampler: Sampler = new AlwaysOnSampler();

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new TracerProvider({
      sampler: {
        shouldSample: (...args) => sampler.shouldSample(...args),
        toString: () => 'per test',
      },
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    }),
  );
});

afterEach(() => exporter.reset());

afterAll(() => {
  trace.disable();
  context.disable();
});

const producer: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
  isRemote: true,
};

function record(key: string | null): ConsumedRecord<unknown> {
  return {
    topic: 'worker-events',
    partition: 2,
    offset: '41',
    key,
    timestamp: 0,
    headers: {},
    traceContext: trace.setSpanContext(ROOT_CONTEXT, producer),
    raw: null,
  };
}

describe('traceRecord', () => {
  test('continues the producer trace and names the worker by reference', async () => {
    sampler = new AlwaysOnSampler();
    let inside: SpanContext | undefined;

    const outcome = await traceRecord(record('contoso/1042'), async (spanContext) => {
      inside = spanContext;
      return 'accepted';
    });

    expect(outcome).toBe('accepted');
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('process worker-events');
    expect(span?.spanContext().traceId).toBe(producer.traceId);
    expect(span?.parentSpanContext?.spanId).toBe(producer.spanId);
    expect(inside?.spanId).toBe(span?.spanContext().spanId);
    expect(span?.attributes[attributes.workerRef]).toBe(workerRef('contoso/1042', workerRefKey()));
    expect(span?.attributes[attributes.recordOutcome]).toBe('accepted');
    expect(span?.attributes['messaging.destination.partition.id']).toBe('2');
  });

  test('marks a record handed back, without failing the span', async () => {
    sampler = new AlwaysOnSampler();

    await expect(
      traceRecord(record(null), () => Promise.reject(new Error('stopping'))),
    ).rejects.toThrow('stopping');

    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes[attributes.recordOutcome]).toBe('handed-back');
    expect(span?.attributes[attributes.workerRef]).toBeUndefined();
  });

  test('an unsampled record is still handled, and leaves no span', async () => {
    sampler = new AlwaysOffSampler();

    const outcome = await traceRecord(record('contoso/1042'), async () => 'unchanged');

    expect(outcome).toBe('unchanged');
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
