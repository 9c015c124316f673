import { buildWorkerEvent, decodeJson, type SourceAdapter } from '@tributary/webhook-kit';
import { isThin, type StandardPayload } from './standard-payload.ts';
import { standardPayloadSchema } from './standard-payload-schema.ts';
import { verifyStandardSignature } from './verify-standard-signature.ts';
import { WorkerApiClient } from './worker-api-client.ts';

export const system = 'standard-webhooks';

interface Context {
  api: WorkerApiClient | undefined;
}

/**
 * In-house HR systems and scripts posting canonical workers the Standard Webhooks way. The payload
 * is already canonical, so normalising is mostly wrapping; a thin one is completed from the
 * connection's worker API.
 */
export const standardWebhooksAdapter: SourceAdapter<StandardPayload, Context> = {
  system,
  mediaTypes: ['application/json'],
  payloadSchema: standardPayloadSchema,
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { workerPath: { type: 'string', pattern: '^/.*\\{employeeId\\}' } },
  },

  verify: verifyStandardSignature,
  decode: (rawBody) => decodeJson(rawBody),

  summarize(payload) {
    return {
      needsHydration: isThin(payload.data),
      sourceWorkerId: payload.data.sourceWorkerId ?? payload.data.employeeId,
    };
  },

  createContext(connection) {
    return { api: connection.hydration ? new WorkerApiClient(connection) : undefined };
  },

  async closeContext(context) {
    await context.api?.close();
  },

  async normalize(payload, delivery, context) {
    const thin = isThin(payload.data);
    const worker = isThin(payload.data)
      ? await context.api!.worker(payload.data.employeeId, delivery.signal)
      : payload.data;
    const effectiveDate =
      payload.effectiveDate ??
      (payload.type === 'worker.terminated' ? worker.employment.terminationDate : undefined) ??
      (payload.type === 'worker.hired' || payload.type === 'worker.rehired'
        ? (worker.employment.startDate ?? worker.employment.hireDate)
        : undefined);

    return [
      buildWorkerEvent(delivery, {
        system,
        eventType: payload.type,
        rawEventType: payload.type,
        occurredAt: new Date(payload.timestamp).toISOString(),
        effectiveDate,
        payloadKind: thin ? 'thin' : 'fat',
        hydratedAt: thin ? new Date().toISOString() : undefined,
        changedFields: payload.changedFields,
        worker,
      }),
    ];
  },
};
