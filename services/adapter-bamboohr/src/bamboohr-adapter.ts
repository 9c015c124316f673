import { TributaryError } from '@tributary/errors';
import type { WorkerEvent } from '@tributary/worker-event';
import {
  ManagerResolver,
  TtlCache,
  buildWorkerEvent,
  deletedWorkerEvent,
  decodeForm,
  decodeJson,
  values,
  type Connection,
  type DeliveryMeta,
  type SourceAdapter,
} from '@tributary/webhook-kit';
import { BambooHrApi, type EmployeeRecord } from './bamboohr-api.ts';
import {
  bambooHrPayloadSchema,
  isFieldBased,
  type BambooHrPayload,
  type FieldBasedPayload,
} from './bamboohr-payload.ts';
import { canonicalChangedFields, eventTypeOf, workerOf } from './bamboohr-worker.ts';
import { verifyBambooHrSignature } from './verify-bamboohr-signature.ts';

export const system = 'bamboohr';

interface Context {
  connection: Connection;
  api: BambooHrApi | undefined;
  managers: ManagerResolver;
  /** BambooHR id to employee number, for deletions, which can no longer be read from the API. */
  employeeNumbers: TtlCache<string>;
}

/** Fields without which a field-based payload cannot become a snapshot on its own. */
const requiredFields = ['employeeNumber', 'status'] as const;

export const bambooHrAdapter: SourceAdapter<BambooHrPayload, Context> = {
  system,
  mediaTypes: ['application/json', 'application/x-www-form-urlencoded'],
  payloadSchema: bambooHrPayloadSchema,
  credentialNames: ['apiKey'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      companyDomain: { type: 'string', pattern: '^[A-Za-z0-9-]{1,100}$' },
      employeeIdSource: { enum: ['employeeNumber', 'id'] },
    },
  },

  verify: verifyBambooHrSignature,
  decode: (rawBody, mediaType) =>
    mediaType === 'application/x-www-form-urlencoded' ? decodeForm(rawBody) : decodeJson(rawBody),

  summarize(payload) {
    if (!isFieldBased(payload)) {
      return {
        needsHydration: payload.type !== 'employee.deleted',
        sourceWorkerId: String(payload.data.employeeId),
      };
    }
    const employees = payload.employees;
    return {
      needsHydration: employees.some((employee) => {
        const fields = fieldValues(employee.fields);
        return (
          requiredFields.some((name) => !fields[name]) || fields['supervisorEId'] !== undefined
        );
      }),
      ...(employees.length === 1 ? { sourceWorkerId: String(employees[0]!.id) } : {}),
    };
  },

  createContext(connection) {
    const api = connection.hydration ? new BambooHrApi(connection) : undefined;
    const idSource = connection.options['employeeIdSource'] === 'id' ? 'id' : 'employeeNumber';
    return {
      connection,
      api,
      employeeNumbers: new TtlCache({ maxEntries: 50_000, ttlMs: 24 * 60 * 60 * 1000 }),
      managers: new ManagerResolver(async (reference, signal) => {
        if (!api || !reference.sourceWorkerId) return undefined;
        const manager = await api.employee(reference.sourceWorkerId, signal, ['employeeNumber']);
        const employeeId = idSource === 'id' ? manager.id : values.text(manager.employeeNumber);
        return employeeId ? { employeeId, sourceWorkerId: manager.id } : undefined;
      }),
    };
  },

  async closeContext(context) {
    await context.api?.close();
  },

  async normalize(payload, delivery, context) {
    if (isFieldBased(payload)) return normalizeFieldBased(payload, delivery, context);

    const id = String(payload.data.employeeId);
    const changed = payload.data.changedFields;
    const occurredAt = values.instant(payload.timestamp);
    if (payload.type === 'employee.deleted') {
      const knownEmployeeId = context.employeeNumbers.get(id);
      const parts = { system, rawEventType: payload.type, occurredAt, sourceWorkerId: id };
      return [deletedWorkerEvent(delivery, { ...parts, knownEmployeeId })];
    }
    const record = await context.api!.employee(id, delivery.signal);
    return [
      await toEvent(record, payload.type, changed, occurredAt, 'thin', delivery, context, false),
    ];
  },
};

async function normalizeFieldBased(
  payload: FieldBasedPayload,
  delivery: DeliveryMeta,
  context: Context,
): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  for (const employee of payload.employees) {
    const id = String(employee.id);
    const fields = fieldValues(employee.fields);
    const incomplete =
      requiredFields.some((name) => !fields[name]) || fields['supervisorEId'] !== undefined;
    if (incomplete && !context.api) {
      throw new TributaryError(
        'WEBHOOK_NOT_NORMALIZABLE',
        'the field-based payload lacks employeeNumber, status or a resolvable supervisor and the connection has no hydration',
      );
    }
    // The payload's values are what changed; the API fills in the rest.
    const fetched = incomplete ? await context.api!.employee(id, delivery.signal) : { id };
    const record = { ...fetched, ...fields, id } as EmployeeRecord;
    const action = (employee.action ?? 'updated').toLowerCase();
    const rawType = `employee_with_fields.${action.replace(/^employee_with_fields\./, '')}`;
    events.push(
      await toEvent(
        record,
        rawType,
        employee.changedFields,
        values.instant(employee.timestamp),
        incomplete ? 'thin' : 'fat',
        delivery,
        context,
        payload.employees.length > 1,
      ),
    );
  }
  return events;
}

async function toEvent(
  record: EmployeeRecord,
  rawType: string,
  changed: string[] | undefined,
  occurredAt: string | undefined,
  payloadKind: 'fat' | 'thin',
  delivery: DeliveryMeta,
  context: Context,
  oneOfMany: boolean,
): Promise<WorkerEvent> {
  const idSource =
    context.connection.options['employeeIdSource'] === 'id' ? 'id' : 'employeeNumber';
  const employeeId = idSource === 'id' ? record.id : values.text(record.employeeNumber);
  if (!employeeId) {
    throw new TributaryError('WEBHOOK_NOT_NORMALIZABLE', 'the employee has no employee number');
  }
  context.employeeNumbers.set(record.id, employeeId);
  context.managers.remember(record.id, employeeId);

  const worker = workerOf(record, employeeId);
  const supervisor = values.text(record.supervisorEId);
  if (supervisor) {
    const manager = await context.managers.resolve({ sourceWorkerId: supervisor }, delivery.signal);
    worker.manager = { employeeId: manager.employeeId, sourceWorkerId: supervisor };
  }
  const { eventType, effectiveDate } = eventTypeOf(rawType, changed, worker.employment);
  return buildWorkerEvent(delivery, {
    system,
    eventType,
    rawEventType: rawType,
    occurredAt,
    effectiveDate,
    payloadKind,
    hydratedAt: payloadKind === 'thin' ? new Date().toISOString() : undefined,
    changedFields: canonicalChangedFields(changed),
    worker,
    oneOfMany,
  });
}

/** Field-based values arrive as `{ value }` objects (JSON) or plain strings (form posts). */
function fieldValues(
  fields: FieldBasedPayload['employees'][number]['fields'],
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, entry] of Object.entries(fields ?? {})) {
    const value = typeof entry === 'object' && entry !== null ? entry.value : entry;
    const read = values.text(value);
    if (read !== undefined) result[name] = read;
  }
  return result;
}
