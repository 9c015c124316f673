import type { SpanContext } from '@opentelemetry/api';
import type { ConsumedRecord } from '@tributary/kafka';
import type { WorkerEvent } from '@tributary/worker-event';
import type { RecordRef, Waiter } from '../batching/pending-ops.ts';
import { serializeUser, type Mapper } from '../mapping/index.ts';
import type { JobUploader } from './job-uploader.ts';

export interface Route {
  uploader: JobUploader;
  mapper: Mapper;
}

export interface RecordFailure {
  record: RecordRef;
  code: string;
  reason: string;
  job?: string;
}

/**
 * Sends one consumed record on its way: submitted to its job's uploader, or, when it cannot be
 * uploaded at all (undecodable, unknown connection, unmappable), dead-lettered with its reason.
 * Either way `waiter` hears once how it ended, which is when its offset may move; a dead letter
 * that cannot be written hands the record back.
 */
export function handleRecord(
  record: ConsumedRecord<WorkerEvent>,
  routes: ReadonlyMap<string, Route>,
  deadLetter: (failure: RecordFailure) => Promise<void>,
  waiter: Waiter,
  spanContext?: SpanContext,
): void {
  const ref: RecordRef = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    raw: record.raw,
    spanContext,
  };
  const refuse = (code: string, reason: string, job?: string): void => {
    deadLetter({ record: ref, code, reason, ...(job === undefined ? {} : { job }) }).then(
      () => waiter.settle('dead-lettered'),
      (error: unknown) => waiter.handBack(toError(error)),
    );
  };

  // Decoded here, one record at a time: the event is garbage once it is mapped.
  const decoded = record.decode();
  if (!decoded.ok) return refuse(decoded.error.code, decoded.error.message);
  const event = decoded.value;
  const route = routes.get(event.source.connectionId);
  if (!route) {
    return refuse(
      'UNKNOWN_CONNECTION',
      `no job is configured for connection "${event.source.connectionId}"`,
    );
  }
  const mapped = route.mapper.map(event);
  if (!mapped.ok) return refuse(mapped.code, mapped.reason, route.uploader.target.key);

  route.uploader.submit({
    externalId: mapped.user.externalId,
    ...serializeUser(mapped.user),
    managerId: mapped.managerExternalId,
    partition: record.partition,
    record: ref,
    waiter,
  });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
