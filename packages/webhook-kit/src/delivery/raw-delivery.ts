import { jsonCodec, topics, typedTopic, type TopicSpec, type TypedTopic } from '@tributary/kafka';
import { payloadValidator } from '../payload/payload-validator.ts';

/**
 * A verified, schema-checked vendor delivery acknowledged before hydration. The hydration worker
 * turns it into canonical events; the payload is the decoded body, since the signature was checked
 * on receipt and the raw bytes have no further use.
 */
export interface RawDelivery {
  version: 1;
  system: string;
  connectionId: string;
  deliveryId: string;
  idempotencyKey: string;
  /** When the adapter accepted it, RFC 3339. */
  receivedAt: string;
  /** Not to be hydrated before this instant (the vendor's read-after-write lag). */
  notBefore: string;
  payload: unknown;
}

const text = { type: 'string', minLength: 1, maxLength: 512 } as const;
const instant = { type: 'string', format: 'date-time' } as const;

export const rawDeliverySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'version',
    'system',
    'connectionId',
    'deliveryId',
    'idempotencyKey',
    'receivedAt',
    'notBefore',
    'payload',
  ],
  properties: {
    version: { const: 1 },
    system: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,63}$' },
    connectionId: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,63}$' },
    deliveryId: text,
    idempotencyKey: text,
    receivedAt: instant,
    notBefore: instant,
    payload: {},
  },
} as const;

const check = payloadValidator<RawDelivery>(rawDeliverySchema);

export const rawDeliveryCodec = jsonCodec<RawDelivery>('raw delivery', (value) => {
  const result = check(value);
  return result.ok ? { ok: true, value: result.payload } : { ok: false, reason: result.reason };
});

export function rawDeliveriesTopic(
  spec: TopicSpec = topics.rawDeliveries,
): TypedTopic<RawDelivery> {
  return typedTopic(spec, rawDeliveryCodec);
}
