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
  /** Either the details, or the SCIM data to flatten into them when the entry is read. */
  details?: Record<string, string>;
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
  steps: StepRecord[];
  modifiedProperties: ModifiedProperty[];
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
    provisioningSteps: record.steps.map((step) => ({
      name: step.name,
      provisioningStepType: step.type,
      status: step.status,
      description: step.description,
      details: step.details ?? (step.source ? flattenSource(step.source) : {}),
    })),
    modifiedProperties: record.modifiedProperties,
  };
}
