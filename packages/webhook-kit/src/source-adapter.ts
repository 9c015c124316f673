import type { IncomingHttpHeaders } from 'node:http';
import type { Secret } from '@tributary/config';
import type { WorkerEvent } from '@tributary/worker-event';
import type { Connection, HydrationMode } from './connections/connection.ts';

/** What a verifier sees: the headers and the exact bytes received. */
export interface SignedRequest {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export type Verification =
  | {
      ok: true;
      /** The vendor's delivery id, where its scheme has one. */
      deliveryId?: string;
      /** The signed timestamp, checked against the freshness window by the kit. */
      signedAt?: Date;
    }
  | { ok: false; reason: 'signature_missing' | 'signature_invalid' | 'timestamp_invalid' };

/** One delivery as the normalizer receives it, whether inline or from the raw-deliveries topic. */
export interface DeliveryMeta {
  connection: Connection;
  deliveryId: string;
  /** Deterministic per delivery; per-worker events of one delivery append the worker id. */
  idempotencyKey: string;
  /** RFC 3339, when the adapter accepted the delivery. */
  receivedAt: string;
  /** Aborts hydration when the budget is spent or the service stops. */
  signal: AbortSignal;
}

export interface PayloadSummary {
  /** Nothing to publish (a table event, a sync notice): answered 200, nothing produced. */
  ignore?: boolean;
  /** Completing the payload needs the vendor's API. */
  needsHydration: boolean;
  /** The vendor's worker id, for the raw delivery's Kafka key (per-worker order). */
  sourceWorkerId?: string;
}

/**
 * Everything source-specific about an adapter. The kit does HTTP, limits, verification order,
 * freshness, de-duplication, Kafka and hydration scheduling; the adapter says how to check and
 * read one vendor's deliveries and how to turn them into canonical events.
 */
export interface SourceAdapter<Payload = unknown, Context = unknown> {
  /** The canonical `source.system`, e.g. `bamboohr`. */
  readonly system: string;
  /** Accepted media types, without parameters. */
  readonly mediaTypes: readonly string[];
  readonly payloadSchema: object;
  /** Schema of a connection's `options`. */
  readonly optionsSchema?: object;
  /** Credential names a connection's `hydration.credentials` must provide. */
  readonly credentialNames?: readonly string[];
  readonly hydrationDefaults?: { mode?: HydrationMode; delayMs?: number; inlineBudgetMs?: number };

  /** A vendor's endpoint check, answered 2xx before verification and never produced. */
  isPing?(request: SignedRequest): boolean;
  verify(request: SignedRequest, secrets: readonly Secret[]): Verification;
  /** Throws `WEBHOOK_MALFORMED` when the body cannot be read as `mediaType`. */
  decode(rawBody: Buffer, mediaType: string): unknown;
  summarize(payload: Payload, connection: Connection): PayloadSummary;
  /** Per-connection state: the vendor API client, caches. Built once at start. */
  createContext(connection: Connection): Context;
  /**
   * The canonical events of one delivery, hydrated where needed. Throws `HYDRATION_FAILED` or
   * `HYDRATION_REFUSED` when the vendor API does not cooperate, `WEBHOOK_NOT_NORMALIZABLE` when
   * the payload cannot become a valid event.
   */
  normalize(payload: Payload, delivery: DeliveryMeta, context: Context): Promise<WorkerEvent[]>;
  /** Releases what `createContext` opened. */
  closeContext?(context: Context): Promise<void>;
}
