import { jsonCodec, topics, typedTopic } from '@tributary/kafka';

/**
 * What Entra did with one worker's record, read back from its provisioning logs: the upload's
 * 202 only said the record was staged. One record per log entry; `logId` is unique, so a consumer
 * that sees an entry twice (after a restart of the reader) can tell.
 */
export interface ProvisioningOutcome {
  specVersion: '1';
  job: string;
  servicePrincipalId: string;
  jobId: string;
  logId: string;
  /** The SCIM externalId the entry is about (`sourceIdentity.id`). */
  externalId: string;
  /** The Entra object id, when Entra got as far as finding or creating one. */
  targetId: string | null;
  /** `create`, `update`, `disable`, `delete`, `stageddelete` or `other`. */
  action: string;
  /** `success`, `warning`, `failure` or `skipped`. */
  status: string;
  /** Entra's error, on failures: its code and category, and its reason as Entra wrote it. */
  error: { code: string; category: string | null; reason: string | null } | null;
  cycleId: string | null;
  changeId: string | null;
  activityDateTime: string;
}

export const provisioningOutcomesTopic = typedTopic(
  topics.provisioningOutcomes,
  jsonCodec<ProvisioningOutcome>('provisioning outcome', (value) => {
    const v = value as Partial<ProvisioningOutcome> | null;
    const ok =
      typeof v === 'object' &&
      v !== null &&
      v.specVersion === '1' &&
      typeof v.job === 'string' &&
      typeof v.logId === 'string' &&
      typeof v.externalId === 'string' &&
      typeof v.status === 'string';
    return ok
      ? { ok: true, value: value as ProvisioningOutcome }
      : { ok: false, reason: 'not a provisioning outcome' };
  }),
);
