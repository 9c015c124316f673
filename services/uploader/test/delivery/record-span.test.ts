import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { ROOT_CONTEXT, SpanStatusCode, context, trace, type SpanContext } from '@opentelemetry/api';
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
import { BatchProgress } from '../../src/delivery/batch-progress.ts';
import { RecordSpan } from '../../src/delivery/record-span.ts';

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
    decode: () => ({ ok: true, value: {} }),
  };
}

describe('RecordSpan', () => {
  test('continues the producer trace and names the worker by reference', async () => {
    sampler = new AlwaysOnSampler();
    const batch = new BatchProgress(1);

    const waiter = new RecordSpan(record('contoso/1042'), batch);
    expect(exporter.getFinishedSpans()).toEqual([]);
    waiter.settle('accepted');

    await expect(batch.done).resolves.toBeUndefined();
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('process worker-events');
    expect(span?.spanContext().traceId).toBe(producer.traceId);
    expect(span?.parentSpanContext?.spanId).toBe(producer.spanId);
    expect(waiter.spanContext.spanId).toBe(span?.spanContext().spanId);
    expect(span?.attributes[attributes.workerRef]).toBe(workerRef('contoso/1042', workerRefKey()));
    expect(span?.attributes[attributes.recordOutcome]).toBe('accepted');
    expect(span?.attributes['messaging.destination.partition.id']).toBe('2');
  });

  test('is linked to the batch span active when the record is started', () => {
    sampler = new AlwaysOnSampler();
    const batchSpan = trace.getTracer('test').startSpan('process batch');

    const waiter = context.with(trace.setSpan(context.active(), batchSpan), () => {
      return new RecordSpan(record('contoso/1042'), new BatchProgress(1));
    });
    waiter.settle('unchanged');
    batchSpan.end();

    const span = exporter.getFinishedSpans().find((s) => s.name === 'process worker-events');
    expect(span?.links.map((link) => link.context.spanId)).toEqual([
      batchSpan.spanContext().spanId,
    ]);
    expect(span?.parentSpanContext?.spanId).toBe(producer.spanId);
  });

  test('marks a record handed back, without failing the span, and fails the batch', async () => {
    sampler = new AlwaysOnSampler();
    const batch = new BatchProgress(1);

    new RecordSpan(record(null), batch).handBack(new Error('stopping'));

    await expect(batch.done).rejects.toThrow('stopping');
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes[attributes.recordOutcome]).toBe('handed-back');
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes[attributes.workerRef]).toBeUndefined();
  });

  test('counts a record once, whatever is said about it after the first word', async () => {
    sampler = new AlwaysOnSampler();
    const batch = new BatchProgress(2);

    const first = new RecordSpan(record('contoso/1'), batch);
    first.settle('accepted');
    first.settle('dead-lettered');
    first.handBack(new Error('late'));
    expect(batch.left).toBe(1);

    new RecordSpan(record('contoso/2'), batch).settle('accepted');
    await expect(batch.done).resolves.toBeUndefined();
    expect(exporter.getFinishedSpans().map((s) => s.attributes[attributes.recordOutcome])).toEqual([
      'accepted',
      'accepted',
    ]);
  });

  test('an unsampled record still counts in its batch, and leaves no span', async () => {
    sampler = new AlwaysOffSampler();
    const batch = new BatchProgress(1);

    new RecordSpan(record('contoso/1042'), batch).settle('unchanged');

    await expect(batch.done).resolves.toBeUndefined();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
