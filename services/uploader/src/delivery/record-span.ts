import { createSecretKey } from 'node:crypto';
import { SpanKind, context as otelContext, trace, type SpanContext } from '@opentelemetry/api';
import type { ConsumedRecord } from '@tributary/kafka';
import { workerRef } from '@tributary/logger';
import { attributes, workerRefKey } from '@tributary/telemetry';
import type { Settlement } from '../batching/pending-ops.ts';

const tracer = trace.getTracer('@tributary/uploader');
const hashKey = createSecretKey(Buffer.from(workerRefKey()));

/**
 * Runs one record's handling inside its own processing span: a child of the producer's span
 * (from the record headers), so the webhook's trace goes on through the uploader, and linked to
 * the partition batch's span. The span ends when the record is settled (its outcome becomes
 * `tributary.record.outcome`) or handed back. The worker is named by `workerRef` only.
 */
export function traceRecord(
  record: ConsumedRecord<unknown>,
  handle: (spanContext: SpanContext) => Promise<Settlement>,
): Promise<Settlement> {
  const batch = trace.getSpanContext(otelContext.active());
  const span = tracer.startSpan(
    `process ${record.topic}`,
    {
      kind: SpanKind.CONSUMER,
      ...(batch ? { links: [{ context: batch }] } : {}),
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
  if (record.key !== null && span.isRecording()) {
    span.setAttribute(attributes.workerRef, workerRef(record.key, hashKey));
  }
  // `handle` is passed, not captured: a closure here would share this call's context with the
  // callbacks below, which live until the record settles, and keep the decoded record with them.
  const active = trace.setSpan(record.traceContext, span);
  const settled = otelContext.with(active, handle, undefined, span.spanContext());
  settled.then(
    (outcome) => {
      span.setAttribute(attributes.recordOutcome, outcome);
      span.end();
    },
    () => {
      // Handed back on shutdown or rebalance: read again later, not a failure.
      span.setAttribute(attributes.recordOutcome, 'handed-back');
      span.end();
    },
  );
  return settled;
}
