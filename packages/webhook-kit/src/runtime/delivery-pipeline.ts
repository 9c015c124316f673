import { hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { TributaryError, isTributaryError } from '@tributary/errors';
import type { Producer, TypedTopic } from '@tributary/kafka';
import { idempotencyKey, workerKey, type WorkerEvent } from '@tributary/worker-event';
import type { Connection } from '../connections/connection.ts';
import {
  DeliveryDeduplicator,
  type DeduplicatorOptions,
} from '../delivery/delivery-deduplicator.ts';
import type { RawDelivery } from '../delivery/raw-delivery.ts';
import { isUtf8, mediaTypeOf } from '../http/media-type.ts';
import type { AcceptOutcome, RefusalReason } from '../http/refusal.ts';
import { payloadValidator, type PayloadCheck } from '../payload/payload-validator.ts';
import type { SourceAdapter } from '../source-adapter.ts';
import { isFresh } from '../verify/freshness.ts';
import type { KafkaHealth } from './kafka-health.ts';
import { isHydrationFailure, normalizeDelivery } from './normalize-delivery.ts';

export type DeliveryResult =
  | { accepted: true; outcome: AcceptOutcome; events: number }
  | { accepted: false; reason: RefusalReason; message: string; error?: unknown };

export interface ConnectionEntry<C> {
  connection: Connection;
  context: C;
}

export interface DeliveryPipelineOptions<P, C> {
  adapter: SourceAdapter<P, C>;
  connections: ReadonlyMap<string, ConnectionEntry<C>>;
  producer: Producer;
  health: KafkaHealth;
  workerEvents: TypedTopic<WorkerEvent>;
  rawDeliveries: TypedTopic<RawDelivery>;
  freshnessMs: number;
  dedupe?: DeduplicatorOptions;
}

/**
 * One delivery from bytes to Kafka, in a fixed order: cheap checks first, the signature before
 * anything reads the body, and the answer only once the broker has acknowledged.
 */
export class DeliveryPipeline<P, C> {
  readonly #options: DeliveryPipelineOptions<P, C>;
  readonly #check: (value: unknown) => PayloadCheck<P>;
  readonly #deduplicator: DeliveryDeduplicator<DeliveryResult>;

  constructor(options: DeliveryPipelineOptions<P, C>) {
    this.#options = options;
    this.#check = payloadValidator<P>(options.adapter.payloadSchema);
    this.#deduplicator = new DeliveryDeduplicator(options.dedupe);
  }

  async handle(
    entry: ConnectionEntry<C>,
    headers: IncomingHttpHeaders,
    rawBody: Buffer,
  ): Promise<DeliveryResult> {
    const { adapter, freshnessMs } = this.#options;
    const { connection } = entry;
    const request = { headers, rawBody };

    // Step 1: the vendor's endpoint check needs a 2xx and nothing else.
    if (adapter.isPing?.(request)) return { accepted: true, outcome: 'ping', events: 0 };

    // Step 2: media type.
    const mediaType = mediaTypeOf(headers);
    if (mediaType === undefined || !adapter.mediaTypes.includes(mediaType) || !isUtf8(headers)) {
      return refuse('media_type', `expected ${adapter.mediaTypes.join(' or ')} in UTF-8`);
    }

    // Step 3: authenticity, then freshness of the signed timestamp.
    const verification = adapter.verify(request, connection.secrets);
    if (!verification.ok) {
      if (verification.reason === 'timestamp_invalid') {
        return refuse('stale', 'the signed timestamp is unreadable');
      }
      return verification.reason === 'signature_missing'
        ? refuse('signature_missing', 'the signature or timestamp header is missing')
        : refuse('signature_invalid', 'the signature does not match any active secret');
    }
    if (verification.signedAt && !isFresh(verification.signedAt, freshnessMs)) {
      return refuse('stale', `the signed timestamp is more than ${freshnessMs / 1000} s off`);
    }

    // Step 4: the payload, decoded and checked against the vendor's schema.
    let decoded: unknown;
    try {
      decoded = adapter.decode(rawBody, mediaType);
    } catch (error) {
      if (isTributaryError(error, 'WEBHOOK_MALFORMED')) return refuse('malformed', error.message);
      throw error;
    }
    const checked = this.#check(decoded);
    if (!checked.ok) return refuse('payload_invalid', checked.reason);
    const summary = adapter.summarize(checked.payload, connection);
    if (summary.ignore) return { accepted: true, outcome: 'ignored', events: 0 };

    // Step 5: once per delivery, as far as this process knows.
    // One-shot `hash`: no Hash object, hence no native handle for the garbage collector to track.
    const deliveryId = verification.deliveryId ?? `sha256:${hash('sha256', rawBody)}`;
    // Given the digest as the id, the key is not hashed a second time.
    const key = idempotencyKey(connection.id, deliveryId, rawBody);
    const run = await this.#deduplicator.run(
      key,
      () =>
        this.#publish(entry, checked.payload, summary, {
          deliveryId,
          idempotencyKey: key,
          receivedAt: new Date().toISOString(),
        }),
      (result) => result.accepted,
    );
    if (run.kind === 'duplicate') return { accepted: true, outcome: 'duplicate', events: 0 };
    if (run.kind === 'joined' && run.result.accepted) {
      return { accepted: true, outcome: 'duplicate', events: 0 };
    }
    return run.result;
  }

  async #publish(
    entry: ConnectionEntry<C>,
    payload: P,
    summary: { needsHydration: boolean; sourceWorkerId?: string },
    ids: { deliveryId: string; idempotencyKey: string; receivedAt: string },
  ): Promise<DeliveryResult> {
    const { adapter } = this.#options;
    const { connection, context } = entry;
    const hydration = connection.hydration;

    if (summary.needsHydration && hydration === undefined) {
      return refuse('not_normalizable', 'the payload is thin and the connection has no hydration');
    }
    if (summary.needsHydration && hydration?.mode === 'deferred') {
      const notBefore = new Date(Date.parse(ids.receivedAt) + hydration.delayMs).toISOString();
      return this.#defer(connection, payload, summary, ids, notBefore);
    }

    let events: WorkerEvent[];
    // A timer per request only where a vendor call may happen: fat payloads are the hot path.
    const budget = summary.needsHydration
      ? AbortSignal.timeout(hydration?.inlineBudgetMs ?? 4_000)
      : neverAborted;
    try {
      events = await normalizeDelivery(
        adapter,
        payload,
        { ...ids, connection, signal: budget },
        context,
      );
    } catch (error) {
      // The vendor API is slow or down: acknowledge now and let the hydration worker retry.
      if (summary.needsHydration && (isHydrationFailure(error) || budget.aborted)) {
        return this.#defer(connection, payload, summary, ids, ids.receivedAt);
      }
      if (isTributaryError(error, 'WEBHOOK_NOT_NORMALIZABLE')) {
        return refuse('not_normalizable', error.message);
      }
      if (isHydrationFailure(error)) return refuse('not_normalizable', (error as Error).message);
      return refuse('internal', 'the delivery could not be processed', error);
    }

    if (events.length === 0) return { accepted: true, outcome: 'ignored', events: 0 };
    return this.#send(
      this.#options.workerEvents,
      events.map((event) => ({ key: workerKey(event), value: event })),
      { accepted: true, outcome: 'published', events: events.length },
    );
  }

  #defer(
    connection: Connection,
    payload: P,
    summary: { sourceWorkerId?: string },
    ids: { deliveryId: string; idempotencyKey: string; receivedAt: string },
    notBefore: string,
  ): Promise<DeliveryResult> {
    const record: RawDelivery = {
      version: 1,
      system: this.#options.adapter.system,
      connectionId: connection.id,
      ...ids,
      notBefore,
      payload,
    };
    const key = `${connection.id}/${summary.sourceWorkerId ?? ids.deliveryId}`;
    return this.#send(this.#options.rawDeliveries, [{ key, value: record }], {
      accepted: true,
      outcome: 'deferred',
      events: 0,
    });
  }

  async #send<T>(
    topic: TypedTopic<T>,
    records: { key: string; value: T }[],
    success: DeliveryResult,
  ): Promise<DeliveryResult> {
    try {
      await this.#options.producer.send(topic, records);
      this.#options.health.succeeded();
      return success;
    } catch (error) {
      this.#options.health.failed(error);
      if (
        isTributaryError(error, 'KAFKA_UNAVAILABLE') ||
        isTributaryError(error, 'KAFKA_SEND_FAILED')
      ) {
        return refuse(
          'kafka_unavailable',
          'Kafka did not acknowledge the delivery; retry later',
          error,
        );
      }
      if (error instanceof TributaryError && error.code === 'MESSAGE_INVALID') {
        return refuse('not_normalizable', error.message);
      }
      return refuse('internal', 'the delivery could not be stored', error);
    }
  }
}

const neverAborted = new AbortController().signal;

function refuse(reason: RefusalReason, message: string, error?: unknown): DeliveryResult {
  return { accepted: false, reason, message, ...(error === undefined ? {} : { error }) };
}
