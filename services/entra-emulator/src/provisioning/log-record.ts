import { flattenSource } from './scim-mapping.ts';

export type ProvisioningAction = 'create' | 'update' | 'disable' | 'other';
export type ProvisioningStatus = 'success' | 'failure' | 'skipped';

export interface ErrorInformation {
  errorCode: string;
  reason: string;
  additionalDetails: string | null;
  errorCategory: string;
  recommendedAction: string | null;
}

export interface StepRecord {
  name: string;
  type: 'import' | 'matching' | 'scoping' | 'processing' | 'export';
  status: ProvisioningStatus;
  description: string;
  /**
   * The details, a function computing them, or the SCIM data to flatten into them. The last two
   * defer the work to whoever reads the entry: most entries are never read.
   */
  details?: Record<string, string> | (() => Record<string, string>);
  source?: Record<string, unknown>;
}

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

/**
 * A provisioning log entry as stored: the facts only. The Graph shape, with its nested objects
 * and flattened source attributes, is built when someone reads it, which keeps processing cheap.
 */
export interface LogRecord {
  seq: number;
  id: string;
  timeMs: number;
  visibleAtMs: number;
  tenantId: string;
  jobId: string;
  cycleId: string;
  changeId: string;
  servicePrincipal: { id: string; displayName: string; appId: string };
  action: ProvisioningAction;
  status: ProvisioningStatus;
  durationMs: number;
  sourceId: string;
  target: { id: string; displayName: string; userPrincipalName: string } | null;
  errorInformation: ErrorInformation | null;
  /** The steps, or a function building them when the entry is read. */
  steps: StepRecord[] | (() => StepRecord[]);
  modifiedProperties: ModifiedProperty[] | (() => ModifiedProperty[]);
}

const userType = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const legacyAction: Record<ProvisioningAction, string> = {
  create: 'Create',
  update: 'Update',
  disable: 'Disable',
  other: 'Other',
};

/** Renders a stored record as a Graph `provisioningObjectSummary`. */
export function renderLogRecord(record: LogRecord): Record<string, unknown> {
  const sp = record.servicePrincipal;
  const target = record.target;
  return {
    id: record.id,
    activityDateTime: new Date(record.timeMs).toISOString(),
    tenantId: record.tenantId,
    jobId: record.jobId,
    cycleId: record.cycleId,
    changeId: record.changeId,
    action: legacyAction[record.action],
    provisioningAction: record.action,
    durationInMilliseconds: record.durationMs,
    servicePrincipal: { id: sp.id, displayName: sp.displayName },
    sourceSystem: { id: sp.id, displayName: 'API', details: {} },
    targetSystem: {
      id: record.tenantId,
      displayName: 'Azure Active Directory',
      details: {
        ApplicationId: sp.appId,
        ServicePrincipalId: sp.id,
        ServicePrincipalDisplayName: sp.displayName,
      },
    },
    initiatedBy: { id: '', displayName: 'Azure AD Provisioning Service', initiatorType: 'system' },
    sourceIdentity: { id: record.sourceId, displayName: '', identityType: userType, details: {} },
    targetIdentity: target
      ? {
          id: target.id,
          displayName: target.displayName,
          identityType: 'User',
          details: {
            id: target.id,
            odatatype: 'User',
            DisplayName: target.displayName,
            UserPrincipalName: target.userPrincipalName,
          },
        }
      : { id: '', displayName: '', identityType: 'User', details: {} },
    provisioningStatusInfo: {
      status: record.status,
      errorInformation: record.errorInformation,
    },
    statusInfo: { status: record.status },
    provisioningSteps: (typeof record.steps === 'function' ? record.steps() : record.steps).map(
      (step) => ({
        name: step.name,
        provisioningStepType: step.type,
        status: step.status,
        description: step.description,
        details: detailsOf(step),
      }),
    ),
    modifiedProperties:
      typeof record.modifiedProperties === 'function'
        ? record.modifiedProperties()
        : record.modifiedProperties,
  };
}

function detailsOf(step: StepRecord): Record<string, string> {
  if (typeof step.details === 'function') return step.details();
  if (step.details) return step.details;
  return step.source ? flattenSource(step.source) : {};
}

/** The record with every deferred part computed, as plain data (for snapshots). */
export function materializeLogRecord(record: LogRecord): LogRecord {
  const steps = typeof record.steps === 'function' ? record.steps() : record.steps;
  return {
    ...record,
    steps: steps.map((step) => ({
      name: step.name,
      type: step.type,
      status: step.status,
      description: step.description,
      details: detailsOf(step),
    })),
    modifiedProperties:
      typeof record.modifiedProperties === 'function'
        ? record.modifiedProperties()
        : record.modifiedProperties,
  };
}
