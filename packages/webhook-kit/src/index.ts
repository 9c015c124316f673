export type {
  Connection,
  ConnectionSpec,
  HydrationMode,
  HydrationSpec,
  ResolvedHydration,
} from './connections/connection.ts';
export { connectionsFileSchema } from './connections/connections-schema.ts';
export {
  loadConnections,
  resolveConnections,
  type ConnectionRules,
} from './connections/load-connections.ts';
export {
  DeliveryDeduplicator,
  type DeduplicatorOptions,
} from './delivery/delivery-deduplicator.ts';
export {
  rawDeliveriesTopic,
  rawDeliveryCodec,
  rawDeliverySchema,
  type RawDelivery,
} from './delivery/raw-delivery.ts';
export { TtlCache } from './delivery/ttl-cache.ts';
export { createWebhookApp, type WebhookAppOptions } from './http/create-webhook-app.ts';
export {
  refusals,
  retryAfterSeconds,
  sendRefusal,
  type AcceptOutcome,
  type RefusalReason,
  type WebhookObserver,
} from './http/refusal.ts';
export { backoffMs, parseRetryAfter, type BackoffOptions } from './hydration/backoff.ts';
export {
  HttpJsonClient,
  type HttpJsonClientOptions,
  type JsonRequest,
  type JsonResponse,
} from './hydration/http-json-client.ts';
export {
  ManagerResolver,
  type ManagerLookup,
  type ManagerReference,
} from './hydration/manager-resolver.ts';
export { RateLimiter } from './hydration/rate-limiter.ts';
export {
  buildWorkerEvent,
  deletedWorkerEvent,
  type DeletionParts,
  type WorkerEventParts,
} from './normalize/build-worker-event.ts';
export * as values from './normalize/values.ts';
export { decodeForm, decodeJson } from './payload/decode-body.ts';
export { payloadValidator, type PayloadCheck } from './payload/payload-validator.ts';
export {
  createAdapterService,
  type AdapterService,
  type AdapterServiceOptions,
} from './runtime/adapter-service.ts';
export {
  DeliveryPipeline,
  type ConnectionEntry,
  type DeliveryPipelineOptions,
  type DeliveryResult,
} from './runtime/delivery-pipeline.ts';
export { HydrationWorker, type HydrationWorkerOptions } from './runtime/hydration-worker.ts';
export { KafkaHealth } from './runtime/kafka-health.ts';
export type {
  DeliveryMeta,
  PayloadSummary,
  SignedRequest,
  SourceAdapter,
  Verification,
} from './source-adapter.ts';
export { verifyBodyHmac, type BodyHmacScheme } from './verify/body-hmac.ts';
export { decodeSignature, digestsEqual, hmac, type HmacAlgorithm } from './verify/constant-time.ts';
export { defaultFreshnessMs, isFresh, parseSignedTimestamp } from './verify/freshness.ts';
export { loggingHydrationEvents, loggingObserver } from './runtime/logging-observer.ts';
export { combineObservers, metricsObserver } from './runtime/metrics-observer.ts';
export { adapterFromEnv, type ConfiguredAdapter } from './runtime/start-from-env.ts';
export { runAdapter, type RunAdapterOptions } from './runtime/run-adapter.ts';
