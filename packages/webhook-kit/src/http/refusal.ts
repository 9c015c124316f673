import type { Response } from 'express';
import type { ErrorCode } from '@tributary/errors';

/**
 * Every reason a delivery is refused, a closed list: it becomes a metric label, so it must stay
 * small and free of anything a sender controls.
 */
export const refusals = {
  route_unknown: { status: 404, code: 'WEBHOOK_ROUTE_UNKNOWN' },
  method_not_allowed: { status: 405, code: 'WEBHOOK_ROUTE_UNKNOWN' },
  connection_unknown: { status: 404, code: 'WEBHOOK_CONNECTION_UNKNOWN' },
  media_type: { status: 415, code: 'WEBHOOK_MEDIA_TYPE' },
  too_large: { status: 413, code: 'WEBHOOK_TOO_LARGE' },
  malformed: { status: 400, code: 'WEBHOOK_MALFORMED' },
  signature_missing: { status: 401, code: 'WEBHOOK_SIGNATURE_MISSING' },
  signature_invalid: { status: 401, code: 'WEBHOOK_SIGNATURE_INVALID' },
  stale: { status: 401, code: 'WEBHOOK_STALE' },
  payload_invalid: { status: 400, code: 'WEBHOOK_PAYLOAD_INVALID' },
  not_normalizable: { status: 422, code: 'WEBHOOK_NOT_NORMALIZABLE' },
  kafka_unavailable: { status: 503, code: 'KAFKA_UNAVAILABLE' },
  // A bug or an unforeseen failure: 503 rather than 500 or a 4xx, so the sender retries later
  // instead of dropping the delivery (BambooHR never retries a 4xx).
  internal: { status: 503, code: 'WEBHOOK_INTERNAL' },
} as const satisfies Record<string, { status: number; code: ErrorCode }>;

export type RefusalReason = keyof typeof refusals;

/** What was done with an accepted delivery. */
export type AcceptOutcome = 'published' | 'deferred' | 'duplicate' | 'ping' | 'ignored';

/**
 * Hooks for metrics and logs, called once per delivery. `connectionId` is only set for configured
 * connections, so labels stay bounded whatever URLs senders try.
 */
export interface WebhookObserver {
  received?(event: { system: string; connectionId: string | undefined }): void;
  accepted?(event: {
    system: string;
    connectionId: string;
    outcome: AcceptOutcome;
    events: number;
    durationMs: number;
  }): void;
  refused?(event: {
    system: string;
    connectionId: string | undefined;
    reason: RefusalReason;
    status: number;
    durationMs: number;
    /** The underlying error for `internal` and `kafka_unavailable`, for logs, never for labels. */
    error?: unknown;
  }): void;
}

/** The seconds a sender should wait after a 503. */
export const retryAfterSeconds = 5;

/**
 * The one way a refusal is answered: a stable code, a message without personal data, and
 * `Retry-After` where retrying helps.
 */
export function sendRefusal(response: Response, reason: RefusalReason, message: string): number {
  const { status, code } = refusals[reason];
  if (status === 503) response.set('Retry-After', String(retryAfterSeconds));
  response.status(status).json({ error: { code, message } });
  return status;
}
