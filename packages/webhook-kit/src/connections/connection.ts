import type { Secret, SecretRef } from '@tributary/config';

export type HydrationMode = 'inline' | 'deferred';

/** One connection as written in the connections file: secrets are references, not values. */
export interface ConnectionSpec {
  /** Routes deliveries (`/webhooks/{id}`) and prefixes every Kafka key of the connection. */
  id: string;
  /** The source system; must be the one the service adapts. */
  system: string;
  /** The vendor's tenant: BambooHR company domain, HiBob company id, Merge linked account. */
  tenantId: string;
  /** Webhook signing secrets, every one accepted, so a key can be rotated without downtime. */
  secrets: SecretRef[];
  hydration?: HydrationSpec;
  /** Source-specific options, validated by the adapter's schema. */
  options?: Record<string, unknown>;
}

export interface HydrationSpec {
  /** The vendor API's base URL, e.g. `https://api.bamboohr.com`. */
  baseUrl: string;
  /** Named credentials the adapter needs (`apiKey`, `serviceUserId`, `token`, ...). */
  credentials?: Record<string, SecretRef>;
  /** `inline` hydrates while the sender waits; `deferred` acknowledges first. */
  mode?: HydrationMode;
  /** Deferred hydration waits this long after receipt before reading (read-after-write lag). */
  delayMs?: number;
  /** How long an inline hydration may take before the delivery is deferred instead. */
  inlineBudgetMs?: number;
  /** One attempt's timeout. */
  timeoutMs?: number;
  maxAttempts?: number;
  /** Client-side rate limit towards the vendor API, requests per second. */
  requestsPerSecond?: number;
}

/** A connection ready to use: secrets resolved, defaults filled in. */
export interface Connection {
  id: string;
  system: string;
  tenantId: string;
  secrets: readonly Secret[];
  hydration: ResolvedHydration | undefined;
  options: Record<string, unknown>;
}

export interface ResolvedHydration {
  baseUrl: string;
  credentials: Readonly<Record<string, Secret>>;
  mode: HydrationMode;
  delayMs: number;
  inlineBudgetMs: number;
  timeoutMs: number;
  maxAttempts: number;
  requestsPerSecond: number;
}
