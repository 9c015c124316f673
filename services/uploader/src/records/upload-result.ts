import { jsonCodec, topics, typedTopic } from '@tributary/kafka';

/** One bulk request Entra accepted (202: staged, not yet processed). */
export interface UploadResult {
  specVersion: '1';
  job: string;
  servicePrincipalId: string;
  jobId: string;
  /** Graph's `request-id`, to quote to Microsoft support. */
  requestId: string | null;
  clientRequestId: string;
  externalIds: string[];
  /** Calls it took, throttled and failed ones included. */
  attempts: number;
  /** From the first attempt to the 202, waits included. */
  latencyMs: number;
  acceptedAt: string;
}

export const uploadResultsTopic = typedTopic(
  topics.uploadResults,
  jsonCodec<UploadResult>('upload result', (value) => {
    const v = value as Partial<UploadResult> | null;
    const ok =
      typeof v === 'object' &&
      v !== null &&
      v.specVersion === '1' &&
      typeof v.job === 'string' &&
      Array.isArray(v.externalIds) &&
      typeof v.attempts === 'number';
    return ok
      ? { ok: true, value: value as UploadResult }
      : { ok: false, reason: 'not an upload result' };
  }),
);
