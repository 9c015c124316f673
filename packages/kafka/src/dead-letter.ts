import { jsonCodec } from './codec.ts';
import { topics } from './topics.ts';
import { typedTopic } from './typed-topic.ts';

/**
 * A record that could not be delivered, kept whole so that it can be inspected and replayed once
 * the cause is fixed. The reason names paths and codes, never values, because dashboards and
 * alert texts quote it; the original event travels in `original` for the replay.
 */
export interface DeadLetter {
  specVersion: '1';
  /** Stable error code from the catalogue, e.g. `SCIM_INVALID`. */
  code: string;
  reason: string;
  /** Which stage gave up: `uploader`, `hydrator`, ... */
  stage: string;
  failedAt: string;
  source: { topic: string; partition: number; offset: string; key: string | null };
  /** The Entra job it was meant for, when the record got that far. */
  job?: string;
  /** The original record value: parsed JSON when it was JSON, else base64 of its bytes. */
  original: { json: unknown } | { base64: string } | null;
}

function isDeadLetter(value: unknown): value is DeadLetter {
  const v = value as Partial<DeadLetter> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.specVersion === '1' &&
    typeof v.code === 'string' &&
    typeof v.reason === 'string' &&
    typeof v.stage === 'string' &&
    typeof v.failedAt === 'string' &&
    typeof v.source === 'object' &&
    v.source !== null &&
    typeof v.source.topic === 'string' &&
    'original' in v
  );
}

/** Keeps the original as JSON when it parses, so a replay tool can re-publish it verbatim. */
export function deadLetterOriginal(raw: Buffer | null): DeadLetter['original'] {
  if (raw === null) return null;
  try {
    return { json: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return { base64: raw.toString('base64') };
  }
}

export const deadLetterTopic = typedTopic(
  topics.deadLetter,
  jsonCodec<DeadLetter>('dead letter', (value) =>
    isDeadLetter(value) ? { ok: true, value } : { ok: false, reason: 'not a dead-letter record' },
  ),
);
