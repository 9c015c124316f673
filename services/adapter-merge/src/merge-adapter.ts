import { TributaryError } from '@tributary/errors';
import {
  ManagerResolver,
  buildWorkerEvent,
  decodeJson,
  values,
  type SourceAdapter,
} from '@tributary/webhook-kit';
import { MergeApi } from './merge-api.ts';
import { mergePayloadSchema, type MergePayload } from './merge-payload.ts';
import { eventTypeOf, workerOf } from './merge-worker.ts';
import { verifyMergeSignature } from './verify-merge-signature.ts';

export const system = 'merge';

interface Context {
  api: MergeApi | undefined;
  managers: ManagerResolver;
}

const employeeEvent = /^employee\.(added|changed|removed|created|updated|deleted)$/i;

/**
 * Merge's Employee common model arrives fat; only the manager, given as a Merge id, needs the API
 * to become the manager's employee number.
 */
export const mergeAdapter: SourceAdapter<MergePayload, Context> = {
  system,
  mediaTypes: ['application/json'],
  payloadSchema: mergePayloadSchema,
  credentialNames: ['apiKey', 'accountToken'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },

  verify: verifyMergeSignature,
  decode: (rawBody) => decodeJson(rawBody),

  summarize(payload) {
    // Sync notices and other common models: acknowledged, not adapted.
    if (!employeeEvent.test(payload.hook.event)) return { ignore: true, needsHydration: false };
    return { needsHydration: Boolean(payload.data.manager), sourceWorkerId: payload.data.id };
  },

  createContext(connection) {
    const api = connection.hydration ? new MergeApi(connection) : undefined;
    return {
      api,
      managers: new ManagerResolver(async (reference, signal) => {
        if (!api || !reference.sourceWorkerId) return undefined;
        const manager = await api.employee(reference.sourceWorkerId, signal);
        const employeeId = values.text(manager.employee_number);
        return employeeId ? { employeeId, sourceWorkerId: manager.id } : undefined;
      }),
    };
  },

  async closeContext(context) {
    await context.api?.close();
  },

  async normalize(payload, delivery, context) {
    // Merge's webhooks are organisation-wide: a connection adapts one linked account.
    if (payload.linked_account.id !== delivery.connection.tenantId) {
      throw new TributaryError(
        'WEBHOOK_NOT_NORMALIZABLE',
        "the delivery is for another linked account than the connection's",
      );
    }
    const employee = payload.data;
    const employeeId = values.text(employee.employee_number);
    if (!employeeId)
      throw new TributaryError('WEBHOOK_NOT_NORMALIZABLE', 'the employee has no employee_number');
    context.managers.remember(employee.id, employeeId);

    const worker = workerOf(employee, employeeId);
    if (employee.manager) {
      const manager = await context.managers.resolve(
        { sourceWorkerId: employee.manager },
        delivery.signal,
      );
      worker.manager = { employeeId: manager.employeeId, sourceWorkerId: employee.manager };
    }
    const { eventType, effectiveDate } = eventTypeOf(payload.hook.event, worker.employment);
    return [
      buildWorkerEvent(delivery, {
        system,
        eventType,
        rawEventType: payload.hook.event,
        occurredAt: values.instant(employee.modified_at),
        effectiveDate,
        payloadKind: 'fat',
        worker,
      }),
    ];
  },
};
