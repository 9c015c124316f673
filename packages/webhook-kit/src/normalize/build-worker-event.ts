import {
  newEventId,
  type Worker,
  type WorkerEvent,
  type WorkerEventType,
} from '@tributary/worker-event';
import type { DeliveryMeta } from '../source-adapter.ts';

export interface WorkerEventParts {
  system: string;
  eventType: WorkerEventType;
  rawEventType: string;
  /** When the change happened in the HR system; falls back to the receipt time. */
  occurredAt: string | undefined;
  effectiveDate?: string | undefined;
  payloadKind: 'fat' | 'thin';
  hydratedAt?: string | undefined;
  changedFields?: readonly string[] | undefined;
  worker: Worker;
  /**
   * Set when one delivery carries several workers: each event's idempotency key then names the
   * worker, so the keys stay distinct and still repeat exactly on a redelivery.
   */
  oneOfMany?: boolean;
}

/** The canonical envelope around a normalised worker. */
export function buildWorkerEvent(delivery: DeliveryMeta, parts: WorkerEventParts): WorkerEvent {
  const { connection } = delivery;
  const changedFields = parts.changedFields ? [...new Set(parts.changedFields)] : [];
  return {
    specVersion: '1',
    eventId: newEventId(),
    idempotencyKey: parts.oneOfMany
      ? `${delivery.idempotencyKey}:${parts.worker.sourceWorkerId}`
      : delivery.idempotencyKey,
    eventType: parts.eventType,
    occurredAt: parts.occurredAt ?? delivery.receivedAt,
    receivedAt: delivery.receivedAt,
    ...(parts.effectiveDate ? { effectiveDate: parts.effectiveDate } : {}),
    source: {
      system: parts.system,
      connectionId: connection.id,
      tenantId: connection.tenantId,
      rawEventType: parts.rawEventType,
      // Derived ids (a body digest) are not the vendor's: only a real one is carried.
      ...(delivery.deliveryId.startsWith('sha256:') ? {} : { deliveryId: delivery.deliveryId }),
      payloadKind: parts.payloadKind,
      ...(parts.hydratedAt ? { hydratedAt: parts.hydratedAt } : {}),
    },
    ...(changedFields.length > 0 ? { changedFields } : {}),
    worker: parts.worker,
  };
}

export interface DeletionParts {
  system: string;
  rawEventType: string;
  occurredAt: string | undefined;
  sourceWorkerId: string;
  /** The employee number last seen for this worker, if any. */
  knownEmployeeId: string | undefined;
}

/**
 * A deletion announced by a thin source. The record is gone from the vendor's API, so the worker
 * is known only by its vendor id and the employee number last seen for it (else the vendor id).
 */
export function deletedWorkerEvent(delivery: DeliveryMeta, parts: DeletionParts): WorkerEvent {
  return buildWorkerEvent(delivery, {
    system: parts.system,
    eventType: 'worker.deleted',
    rawEventType: parts.rawEventType,
    occurredAt: parts.occurredAt,
    payloadKind: 'thin',
    worker: {
      sourceWorkerId: parts.sourceWorkerId,
      employeeId: parts.knownEmployeeId ?? parts.sourceWorkerId,
      employment: { status: 'inactive', active: false },
    },
  });
}
