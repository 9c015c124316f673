import { createSecretKey } from 'node:crypto';
import {
  SpanKind,
  context as otelContext,
  trace,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import type { ConsumedRecord } from '@tributary/kafka';
import { workerRef } from '@tributary/logger';
import { attributes, workerRefKey } from '@tributary/telemetry';
import type { Settlement, Waiter } from '../batching/pending-ops.ts';
import type { BatchProgress } from './batch-progress.ts';

const tracer = trace.getTracer('@tributary/uploader');
const hashKey = createSecretKey(Buffer.from(workerRefKey()));

/**
 * One record's processing span, and the waiter that ends it. The span is a child of the
 * producer's span (from the record headers), so the webhook's trace goes on through the
 * uploader, and it is linked to the partition batch's span. It ends when the record is settled
 * (its outcome becomes `tributary.record.outcome`) or handed back, and the record then counts as
 * done in its batch. The worker is named by `workerRef` only.
 *
 * The span is never made the active context: handling a record is synchronous up to its
 * submission, and what follows (the bulk request, a dead letter) takes the span context from the
 * record itself. Entering a context per record cost an async-context frame each.
 */
export class RecordSpan implements Waiter {
  readonly #span: Span;
  readonly #batch: BatchProgress;
  #done = false;

  constructor(record: ConsumedRecord<unknown>, batch: BatchProgress) {
    this.#batch = batch;
    const batchSpan = trace.getSpanContext(otelContext.active());
    this.#span = tracer.startSpan(
      `process ${record.topic}`,
      {
        kind: SpanKind.CONSUMER,
        ...(batchSpan ? { links: [{ context: batchSpan }] } : {}),
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': record.topic,
          'messaging.destination.partition.id': String(record.partition),
          'messaging.kafka.offset': Number(record.offset),
        },
      },
      record.traceContext,
    );
    // An HMAC per record is worth it only for a span that is kept: an unsampled one drops it.
    if (record.key !== null && this.#span.isRecording()) {
      this.#span.setAttribute(attributes.workerRef, workerRef(record.key, hashKey));
    }
  }

  get spanContext(): SpanContext {
    return this.#span.spanContext();
  }

  settle(outcome: Settlement): void {
    if (!this.#end(outcome)) return;
    this.#batch.settled();
  }

  /** Handed back on shutdown or rebalance: read again later, not a failure of the span. */
  handBack(reason: Error): void {
    if (!this.#end('handed-back')) return;
    this.#batch.handedBack(reason);
  }

  /** Ends the span once; a second word on the same record is ignored, so it counts once. */
  #end(outcome: Settlement | 'handed-back'): boolean {
    if (this.#done) return false;
    this.#done = true;
    this.#span.setAttribute(attributes.recordOutcome, outcome);
    this.#span.end();
    return true;
  }
}
