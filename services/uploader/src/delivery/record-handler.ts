import type { SpanContext } from '@opentelemetry/api';
import type { ConsumedRecord } from '@tributary/kafka';
import type { WorkerEvent } from '@tributary/worker-event';
import type { RecordRef, Settlement } from '../batching/pending-ops.ts';
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
 * Turns each consumed record into a settlement promise: submitted to its job's uploader, or, when
 * it cannot be uploaded at all (undecodable, unknown connection, unmappable), dead-lettered with
 * its reason. The promise resolves once the record is done, which is when its offset may move.
 */
export function handleRecord(
  record: ConsumedRecord<WorkerEvent>,
  routes: ReadonlyMap<string, Route>,
  deadLetter: (failure: RecordFailure) => Promise<void>,
  spanContext?: SpanContext,
): Promise<Settlement> {
  const ref: RecordRef = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    raw: record.raw,
    ...(spanContext === undefined ? {} : { spanContext }),
  };
  const refuse = async (code: string, reason: string, job?: string): Promise<Settlement> => {
    await deadLetter({ record: ref, code, reason, ...(job === undefined ? {} : { job }) });
    return 'dead-lettered';
  };

  if (record.error || !record.value) {
    return refuse(record.error?.code ?? 'MESSAGE_INVALID', record.error?.message ?? 'no value');
  }
  const event = record.value;
  const route = routes.get(event.source.connectionId);
  if (!route) {
    return refuse(
      'UNKNOWN_CONNECTION',
      `no job is configured for connection "${event.source.connectionId}"`,
    );
  }
  const mapped = route.mapper.map(event);
  if (!mapped.ok) return refuse(mapped.code, mapped.reason, route.uploader.target.key);

  return new Promise<Settlement>((resolve, reject) => {
    route.uploader.submit({
      externalId: mapped.user.externalId,
      ...serializeUser(mapped.user),
      managerId: mapped.managerExternalId,
      partition: record.partition,
      record: ref,
      waiter: { settle: resolve, handBack: reject },
    });
  });
}
