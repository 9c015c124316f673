import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Directory, DirectoryUser, AttributeValue } from './directory.ts';
import type { LogStore } from './log-store.ts';
import type {
  ErrorInformation,
  LogRecord,
  ModifiedProperty,
  ProvisioningAction,
  ProvisioningStatus,
  StepRecord,
} from './log-record.ts';
import type { PendingReference, ProvisioningJob, StagedOperation } from './provisioning-job.ts';
import { containerMissing, managerValueOf, userPrincipalNameOf } from './scim-mapping.ts';

export interface CycleReport {
  jobId: string;
  cycleId: string;
  operations: number;
  created: number;
  updated: number;
  disabled: number;
  unchanged: number;
  failed: number;
  referencesResolved: number;
  referencesUnresolved: number;
}

export interface CycleContext {
  job: ProvisioningJob;
  directory: Directory;
  logs: LogStore;
  defaultDomain: string;
  visibilityDelayMs: number;
}

/** Operations processed between two yields to the event loop, so HTTP stays responsive. */
const sliceSize = 1000;
const objectType = 'User';

/**
 * One provisioning cycle of one job, in the two passes seen in the service's logs: every staged
 * change in arrival order (creates never write a manager; they log a skip instead), then the
 * deferred manager references, each resolved only against records this job has processed and
 * logged as a follow-up update under the change that asked for it.
 */
export async function runJobCycle(context: CycleContext): Promise<CycleReport> {
  const { job } = context;
  const operations = job.staged;
  job.staged = [];
  const cycle = new Cycle(context, randomUUID());
  const began = new Date().toISOString();

  for (let index = 0; index < operations.length; index += 1) {
    cycle.processChange(operations[index]!);
    if ((index + 1) % sliceSize === 0) await yieldToEventLoop();
  }
  cycle.resolveReferences();

  const ended = new Date().toISOString();
  const report = cycle.report;
  report.operations = operations.length;
  const execution = {
    activityIdentifier: cycle.id,
    countEntitled: job.known.size,
    countExported: report.created + report.updated + report.disabled + report.referencesResolved,
    countImported: operations.length,
    countFailed: report.failed,
    timeBegan: began,
    timeEnded: ended,
    state: 'Succeeded' as const,
    error: null,
  };
  job.lastExecution = execution;
  job.lastSuccessfulExecution = execution;
  if (execution.countExported > 0) job.lastSuccessfulExecutionWithExports = execution;
  job.steadyStateFirstAchievedTime ??= ended;
  job.steadyStateLastAchievedTime = ended;
  return report;
}

class Cycle {
  readonly id: string;
  readonly report: CycleReport;
  readonly #context: CycleContext;
  /** References asked for in this cycle, by user: a later change of the same user replaces it. */
  readonly #deferred = new Map<string, PendingReference>();

  constructor(context: CycleContext, id: string) {
    this.#context = context;
    this.id = id;
    this.report = {
      jobId: context.job.id,
      cycleId: id,
      operations: 0,
      created: 0,
      updated: 0,
      disabled: 0,
      unchanged: 0,
      failed: 0,
      referencesResolved: 0,
      referencesUnresolved: 0,
    };
  }

  processChange(operation: StagedOperation): void {
    const started = performance.now();
    const data = operation.data;
    const externalId = data.externalId as string;
    const existing = this.#context.directory.byEmployeeId(externalId);
    const changeId = randomUUID();
    if (existing) this.#update(existing, data, externalId, changeId, started);
    else this.#create(data, externalId, changeId, started);
  }

  resolveReferences(): void {
    const { job, directory } = this.#context;
    const candidates = job.retryPendingReferences
      ? [...job.pending.values(), ...this.#deferred.values()]
      : [...this.#deferred.values()];
    job.pending.clear();

    for (const reference of candidates) {
      const started = performance.now();
      const user = directory.get(reference.userId);
      const managerId = job.known.get(reference.managerExternalId);
      if (!user) continue;
      if (!managerId || !directory.get(managerId)) {
        this.report.referencesUnresolved += 1;
        if (job.retryPendingReferences) job.pending.set(reference.userId, reference);
        continue;
      }
      if (user.managerId === managerId) continue;
      const oldValue = user.managerId;
      user.managerId = managerId;
      this.report.referencesResolved += 1;
      this.#log({
        changeId: reference.changeId,
        action: 'update',
        status: 'success',
        started,
        sourceId: reference.externalId,
        user,
        errorInformation: null,
        steps: [
          exportUpdateStep(reference.externalId, { ReportableIdentifier: reference.externalId }),
        ],
        modifiedProperties: [{ displayName: 'manager', oldValue, newValue: managerId }],
      });
    }
  }

  #create(data: Record<string, unknown>, externalId: string, changeId: string, started: number) {
    const { directory, defaultDomain, job } = this.#context;
    const active = data.active !== false;

    const userName = typeof data.userName === 'string' ? data.userName : '';
    const upn = userName === '' ? '' : userPrincipalNameOf(userName, defaultDomain);
    const failure = !isValidUpn(upn)
      ? invalidUpn()
      : directory.byUserPrincipalName(upn)
        ? duplicateUpn()
        : undefined;
    if (failure) {
      const steps: StepRecord[] = [importStep(externalId, data), scopingStep(active)];
      steps.push(matchStep(externalId), {
        name: 'EntryExportAdd',
        type: 'export',
        status: 'failure',
        description: `Failed to create ${objectType} '${externalId}' in Azure Active Directory`,
        details: { ReportableIdentifier: externalId },
      });
      this.report.failed += 1;
      this.#log({
        changeId,
        action: 'create',
        status: 'failure',
        started,
        sourceId: externalId,
        user: null,
        errorInformation: failure,
        steps,
        modifiedProperties: [],
      });
      return;
    }

    const attributes: Record<string, AttributeValue> = {
      employeeId: externalId,
      userPrincipalName: upn,
      mailNickname: upn.slice(0, upn.indexOf('@')),
      accountEnabled: active,
    };
    for (const mapping of job.mappings) {
      const value = mapping.get(data);
      if (typeof value === 'string' || typeof value === 'boolean')
        attributes[mapping.target] = value;
    }
    const user = directory.add(attributes);
    job.known.set(externalId, user.id);

    const manager = managerValueOf(data);
    if (typeof manager === 'string') {
      this.#defer({ changeId, userId: user.id, externalId, managerExternalId: manager });
    }

    // The written values are kept as they are now; steps, export details and modified properties
    // are built from them only if someone reads the entry (most entries are never read).
    const written = { ...attributes };
    const steps = (): StepRecord[] => [
      importStep(externalId, data),
      scopingStep(active),
      matchStep(externalId),
      ...(typeof manager === 'string' ? [referenceSkipStep(manager, upn)] : []),
      {
        name: 'EntryExportAdd',
        type: 'export',
        status: 'success',
        description: `${objectType} '${upn}' created in Azure Active Directory`,
        details: exportAddDetails(written, externalId),
      },
    ];
    const modifiedProperties = () => createdProperties(written);

    this.report.created += 1;
    this.#log({
      changeId,
      action: 'create',
      status: 'success',
      started,
      sourceId: externalId,
      user,
      errorInformation: null,
      steps,
      modifiedProperties,
    });
  }

  #update(
    user: DirectoryUser,
    data: Record<string, unknown>,
    externalId: string,
    changeId: string,
    started: number,
  ) {
    const { directory, defaultDomain, job } = this.#context;
    const active = data.active !== false;
    const before = { ...user.attributes };
    // Steps accumulate as the change is worked out; the fixed first three are built on reading.
    const later: StepRecord[] = [];
    const steps = (): StepRecord[] => [
      importStep(externalId, data),
      {
        name: 'EntryImport',
        type: 'matching',
        status: 'success',
        description: `Found ${objectType} '${String(before.userPrincipalName)}' in Azure Active Directory`,
        details: { objectId: user.id, ...stringify(before) },
      },
      scopingStep(active),
      ...later,
    ];
    job.known.set(externalId, user.id);

    // Work out every change before writing any, so a failed update leaves the user untouched.
    const changes = new Map<string, AttributeValue | undefined>();
    const propose = (name: string, value: AttributeValue | undefined): void => {
      if (user.attributes[name] !== value) changes.set(name, value);
    };
    for (const mapping of job.mappings) {
      const value = mapping.get(data);
      if (typeof value === 'string' || typeof value === 'boolean') propose(mapping.target, value);
      else if (value !== containerMissing && job.flowNull.has(mapping.target)) {
        propose(mapping.target, undefined);
      }
    }
    if (typeof data.userName === 'string' && data.userName !== '') {
      const upn = userPrincipalNameOf(data.userName, defaultDomain);
      propose('userPrincipalName', upn);
      propose('mailNickname', upn.slice(0, upn.indexOf('@')));
    }
    propose('accountEnabled', active);

    const newUpn = changes.get('userPrincipalName');
    if (typeof newUpn === 'string') {
      const holder = directory.byUserPrincipalName(newUpn);
      const failure = !isValidUpn(newUpn)
        ? invalidUpn()
        : holder && holder !== user
          ? duplicateUpn()
          : undefined;
      if (failure) {
        later.push(exportUpdateStep(externalId, { ReportableIdentifier: externalId }, 'failure'));
        this.report.failed += 1;
        this.#log({
          changeId,
          action: 'update',
          status: 'failure',
          started,
          sourceId: externalId,
          user,
          errorInformation: failure,
          steps,
          modifiedProperties: [],
        });
        return;
      }
    }

    const modifiedProperties: ModifiedProperty[] = [];
    const exported: Record<string, string> = { ReportableIdentifier: externalId };
    for (const [name, value] of changes) {
      modifiedProperties.push({
        displayName: name,
        oldValue: displayOrNull(user.attributes[name]),
        newValue: displayOrNull(value),
      });
      exported[name] = value === undefined ? '' : display(value);
      directory.set(user, name, value);
    }

    const manager = managerValueOf(data);
    if (typeof manager === 'string') {
      const managerId = job.known.get(manager);
      const current = user.managerId ? directory.get(user.managerId) : undefined;
      if (managerId && directory.get(managerId)) {
        this.#deferred.delete(user.id);
        job.pending.delete(user.id);
        if (user.managerId !== managerId) {
          modifiedProperties.push({
            displayName: 'manager',
            oldValue: user.managerId,
            newValue: managerId,
          });
          exported.manager = managerId;
          user.managerId = managerId;
        }
      } else if (current?.attributes.employeeId !== manager) {
        later.push(referenceSkipStep(manager, String(user.attributes.userPrincipalName)));
        this.#defer({ changeId, userId: user.id, externalId, managerExternalId: manager });
      }
    } else if (manager !== containerMissing && job.flowNull.has('manager') && user.managerId) {
      modifiedProperties.push({ displayName: 'manager', oldValue: user.managerId, newValue: null });
      user.managerId = null;
      this.#deferred.delete(user.id);
      job.pending.delete(user.id);
    }

    if (modifiedProperties.length === 0) {
      later.push({
        name: 'EntrySynchronizationSkip',
        type: 'processing',
        status: 'success',
        description: `${objectType} '${externalId}' already holds the values sent; nothing to export`,
        details: { SkipReason: 'RedundantExport' },
      });
      this.report.unchanged += 1;
      this.#log({
        changeId,
        action: 'other',
        status: 'skipped',
        started,
        sourceId: externalId,
        user,
        errorInformation: null,
        steps,
        modifiedProperties,
      });
      return;
    }

    const disabled = changes.get('accountEnabled') === false;
    later.push(exportUpdateStep(externalId, exported));
    if (disabled) this.report.disabled += 1;
    else this.report.updated += 1;
    this.#log({
      changeId,
      action: disabled ? 'disable' : 'update',
      status: 'success',
      started,
      sourceId: externalId,
      user,
      errorInformation: null,
      steps,
      modifiedProperties,
    });
  }

  #defer(reference: PendingReference): void {
    // Map order is insertion order; re-inserting moves a user's reference behind newer ones.
    this.#deferred.delete(reference.userId);
    this.#deferred.set(reference.userId, reference);
    this.#context.job.pending.delete(reference.userId);
  }

  #log(entry: {
    changeId: string;
    action: ProvisioningAction;
    status: ProvisioningStatus;
    started: number;
    sourceId: string;
    user: DirectoryUser | null;
    errorInformation: ErrorInformation | null;
    steps: StepRecord[] | (() => StepRecord[]);
    modifiedProperties: ModifiedProperty[] | (() => ModifiedProperty[]);
  }): void {
    const { job, logs, visibilityDelayMs } = this.#context;
    const timeMs = logs.now();
    const user = entry.user;
    const record: LogRecord = {
      seq: logs.nextSeq(),
      id: randomUUID(),
      timeMs,
      visibleAtMs: timeMs + visibilityDelayMs,
      tenantId: job.tenantId,
      jobId: job.id,
      cycleId: this.id,
      changeId: entry.changeId,
      servicePrincipal: job.servicePrincipal,
      action: entry.action,
      status: entry.status,
      durationMs: Math.round(performance.now() - entry.started),
      sourceId: entry.sourceId,
      target: user
        ? {
            id: user.id,
            displayName: String(user.attributes.displayName ?? ''),
            userPrincipalName: String(user.attributes.userPrincipalName ?? ''),
          }
        : null,
      errorInformation: entry.errorInformation,
      steps: entry.steps,
      modifiedProperties: entry.modifiedProperties,
    };
    logs.add(record);
  }
}

function importStep(externalId: string, data: Record<string, unknown>): StepRecord {
  return {
    name: 'EntryImportAdd',
    type: 'import',
    status: 'success',
    description: `Received ${objectType} '${externalId}' change of type (Add) from API`,
    source: data,
  };
}

const scopingSteps = [true, false].map((active): StepRecord =>
  Object.freeze({
    name: 'EntrySynchronizationScoping',
    type: 'scoping',
    status: 'success',
    description: `Scoping filters evaluated for ${objectType}`,
    details: Object.freeze({
      'Active in the source system': active ? 'True' : 'False',
      'Scoping filter evaluation passed': 'True',
      ScopeEvaluationResult: '{}',
    }),
  }),
);

/** Two shared, frozen steps: the scoping outcome depends only on `active`. */
function scopingStep(active: boolean): StepRecord {
  return scopingSteps[active ? 0 : 1]!;
}

function matchStep(externalId: string): StepRecord {
  return {
    name: 'EntrySynchronizationAdd',
    type: 'matching',
    status: 'success',
    description: `No ${objectType} matching '${externalId}' by employeeId in Azure Active Directory; it will be created`,
    details: {},
  };
}

function referenceSkipStep(managerExternalId: string, userPrincipalName: string): StepRecord {
  return {
    name: 'EntrySynchronizationSkip',
    type: 'processing',
    status: 'success',
    description:
      `Manager '${managerExternalId}' of '${userPrincipalName}' is not known to this job yet; ` +
      'the reference is written once that record has been provisioned by the job',
    details: {
      [managerExternalId]: 'manager Add',
      PropertyName: 'manager',
      SkipReason: 'UnableToResolveReferenceAttributeValue',
    },
  };
}

function exportUpdateStep(
  externalId: string,
  details: Record<string, string>,
  status: ProvisioningStatus = 'success',
): StepRecord {
  return {
    name: 'EntryExportUpdate',
    type: 'export',
    status,
    description:
      status === 'success'
        ? `${objectType} '${externalId}' updated in Azure Active Directory`
        : `Failed to update ${objectType} '${externalId}' in Azure Active Directory`,
    details,
  };
}

const upnPattern = /^[A-Za-z0-9'._!#^~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function isValidUpn(upn: string): boolean {
  return upnPattern.test(upn) && !upn.startsWith('.') && !upn.includes('.@');
}

function invalidUpn(): ErrorInformation {
  return {
    errorCode: 'AzureActiveDirectoryInvalidUserPrincipalName',
    reason: 'The userPrincipalName derived from userName is missing or not valid.',
    additionalDetails: null,
    errorCategory: 'NonServiceFailure',
    recommendedAction: 'Send a userName that forms a valid userPrincipalName.',
  };
}

function duplicateUpn(): ErrorInformation {
  return {
    errorCode: 'AzureActiveDirectoryDuplicateUserPrincipalName',
    reason: 'Another object in the directory already has this userPrincipalName.',
    additionalDetails: null,
    errorCategory: 'NonServiceFailure',
    recommendedAction: 'Send a userName that is unique in the tenant.',
  };
}

function exportAddDetails(written: Record<string, AttributeValue>, externalId: string) {
  return {
    ...stringify(written),
    IsSoftDeleted: 'False',
    passwordProfilepassword: '[Redacted]',
    ReportableIdentifier: externalId,
  };
}

function createdProperties(written: Record<string, AttributeValue>): ModifiedProperty[] {
  const properties: ModifiedProperty[] = Object.entries(written).map(([name, value]) => ({
    displayName: name,
    oldValue: null,
    newValue: display(value),
  }));
  properties.push({
    displayName: 'passwordProfile.password',
    oldValue: null,
    newValue: '[Redacted]',
  });
  return properties;
}

function display(value: AttributeValue): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  return value;
}

function displayOrNull(value: AttributeValue | undefined): string | null {
  return value === undefined ? null : display(value);
}

function stringify(attributes: Record<string, AttributeValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) out[name] = display(value);
  return out;
}
