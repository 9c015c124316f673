import { TributaryError } from '@tributary/errors';
import {
  ManagerResolver,
  TtlCache,
  buildWorkerEvent,
  deletedWorkerEvent,
  decodeJson,
  values,
  type SourceAdapter,
} from '@tributary/webhook-kit';
import { HiBobApi } from './hibob-api.ts';
import { hiBobPayloadSchema, type HiBobPayload } from './hibob-payload.ts';
import { canonicalChangedFields, eventTypeOf, workerOf } from './hibob-worker.ts';
import { isHiBobPing, verifyHiBobSignature } from './verify-hibob-signature.ts';

export const system = 'hibob';

const employeeEvents = new Set([
  'employee.created',
  'employee.updated',
  'employee.deleted',
  'employee.joined',
  'employee.left',
  'employee.activated',
  'employee.inactivated',
]);

interface Context {
  api: HiBobApi | undefined;
  managers: ManagerResolver;
  employeeNumbers: TtlCache<string>;
}

export const hiBobAdapter: SourceAdapter<HiBobPayload, Context> = {
  system,
  mediaTypes: ['application/json'],
  payloadSchema: hiBobPayloadSchema,
  credentialNames: ['serviceUserId', 'token'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  // Bob wants an answer within 10 s and may serve the old record for ~20 s after a change.
  hydrationDefaults: { mode: 'deferred', delayMs: 20_000 },

  isPing: (request) => isHiBobPing(request.rawBody),
  verify: verifyHiBobSignature,
  decode: (rawBody) => decodeJson(rawBody),

  summarize(payload) {
    // Table events and anything newer: acknowledged, not adapted.
    if (!employeeEvents.has(payload.type)) return { ignore: true, needsHydration: false };
    return {
      needsHydration: payload.type !== 'employee.deleted',
      sourceWorkerId: payload.data.employeeId,
    };
  },

  createContext(connection) {
    const api = connection.hydration ? new HiBobApi(connection) : undefined;
    return {
      api,
      employeeNumbers: new TtlCache({ maxEntries: 50_000, ttlMs: 24 * 60 * 60 * 1000 }),
      managers: new ManagerResolver(async (reference, signal) => {
        const identifier = reference.sourceWorkerId ?? reference.email;
        if (!api || !identifier) return undefined;
        const manager = await api.person(identifier, signal, [
          'root.id',
          'work.employeeIdInCompany',
        ]);
        const employeeId = manager['work.employeeIdInCompany'];
        return employeeId
          ? { employeeId, sourceWorkerId: manager['root.id'] ?? identifier }
          : undefined;
      }),
    };
  },

  async closeContext(context) {
    await context.api?.close();
  },

  async normalize(payload, delivery, context) {
    if (String(payload.companyId) !== delivery.connection.tenantId) {
      throw new TributaryError(
        'WEBHOOK_NOT_NORMALIZABLE',
        "the delivery is for another company than the connection's",
      );
    }
    const id = payload.data.employeeId;
    const occurredAt = values.instant(payload.triggeredAt);
    if (payload.type === 'employee.deleted') {
      const knownEmployeeId = context.employeeNumbers.get(id);
      const parts = { system, rawEventType: payload.type, occurredAt, sourceWorkerId: id };
      return [deletedWorkerEvent(delivery, { ...parts, knownEmployeeId })];
    }

    const record = await context.api!.person(id, delivery.signal);
    const employeeId = record['work.employeeIdInCompany'];
    if (!employeeId)
      throw new TributaryError(
        'WEBHOOK_NOT_NORMALIZABLE',
        'the employee has no employee id in company',
      );
    context.employeeNumbers.set(id, employeeId);
    context.managers.remember(id, employeeId);

    const worker = workerOf(record, id, employeeId);
    const reportsTo = record['work.reportsTo.id'];
    if (reportsTo) {
      const manager = await context.managers.resolve(
        reportsTo.includes('@') ? { email: reportsTo } : { sourceWorkerId: reportsTo },
        delivery.signal,
      );
      worker.manager = {
        employeeId: manager.employeeId,
        ...(manager.sourceWorkerId ? { sourceWorkerId: manager.sourceWorkerId } : {}),
      };
    }
    const { eventType, effectiveDate } = eventTypeOf(payload.type, worker.employment);
    return [
      buildWorkerEvent(delivery, {
        system,
        eventType,
        rawEventType: payload.type,
        occurredAt,
        effectiveDate,
        payloadKind: 'thin',
        hydratedAt: new Date().toISOString(),
        changedFields: canonicalChangedFields(payload.data.fieldUpdates),
        worker,
      }),
    ];
  },
};
