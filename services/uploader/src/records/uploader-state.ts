import { jsonCodec, topics, typedTopic } from '@tributary/kafka';
import type { ScimUser } from '../mapping/index.ts';

/**
 * What the uploader remembers about one worker of one job, the latest value per key kept by
 * compaction: the digest of the last payload Entra accepted (to skip unchanged uploads) and, for a
 * report whose manager the job has never been sent, that manager and the report's payload, so the
 * report can be sent again once the manager has been.
 */
export interface WorkerStateRecord {
  kind: 'worker';
  job: string;
  externalId: string;
  digest: string;
  acceptedAt: string;
  awaitingManager?: string;
  user?: ScimUser;
  /** The replica that wrote it; a replica skips its own records when it tails the topic. */
  writer: string;
}

/** Calls this replica made against a tenant's daily quota, by hour. */
export interface QuotaStateRecord {
  kind: 'quota';
  tenant: string;
  hours: Record<string, number>;
  writer: string;
}

export type UploaderStateRecord = WorkerStateRecord | QuotaStateRecord;

/**
 * The record header that names the writer too, so a replica can pass over its own records as it
 * follows the topic without decoding them.
 */
export const stateWriterHeader = 'tributary-writer';

export function workerStateKey(job: string, externalId: string): string {
  return `worker/${job}/${externalId}`;
}

export function quotaStateKey(tenant: string, writer: string): string {
  return `quota/${tenant}/${writer}`;
}

export const uploaderStateTopic = typedTopic(
  topics.uploaderState,
  jsonCodec<UploaderStateRecord>('uploader state', (value) => {
    const v = value as Record<string, unknown> | null;
    const ok =
      typeof v === 'object' &&
      v !== null &&
      typeof v.writer === 'string' &&
      ((v.kind === 'worker' &&
        typeof v.job === 'string' &&
        typeof v.externalId === 'string' &&
        typeof v.digest === 'string') ||
        (v.kind === 'quota' && typeof v.tenant === 'string' && typeof v.hours === 'object'));
    return ok
      ? { ok: true, value: value as UploaderStateRecord }
      : { ok: false, reason: 'not an uploader state record' };
  }),
);
