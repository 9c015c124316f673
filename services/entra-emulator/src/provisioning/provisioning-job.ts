import type { JobConfig, JobState } from '../config/emulator-config.ts';
import { mappingsFor, type AttributeMapping } from './scim-mapping.ts';

export interface StagedOperation {
  data: Record<string, unknown>;
  receivedAtMs: number;
}

/** A manager reference waiting for the manager's record to be known to the job. */
export interface PendingReference {
  changeId: string;
  userId: string;
  externalId: string;
  managerExternalId: string;
}

export interface ExecutionRecord {
  activityIdentifier: string;
  countEntitled: number;
  countExported: number;
  countImported: number;
  countFailed: number;
  timeBegan: string;
  timeEnded: string;
  state: 'Succeeded' | 'Failed';
  error: null;
}

export interface ServicePrincipalRef {
  id: string;
  displayName: string;
  appId: string;
  ownerAppIds: string[];
}

/**
 * One provisioning job: its state, the operations staged by bulkUpload and not yet processed,
 * and its escrow: which source records (by externalId) it has processed and into which user.
 * Manager references resolve only against that escrow, never against the wider directory.
 */
export class ProvisioningJob {
  readonly id: string;
  readonly tenantId: string;
  readonly servicePrincipal: ServicePrincipalRef;
  readonly mappings: AttributeMapping[];
  readonly flowNull: ReadonlySet<string>;
  readonly retryPendingReferences: boolean;

  state: JobState;
  staged: StagedOperation[] = [];
  known = new Map<string, string>();
  pending = new Map<string, PendingReference>();
  lastExecution: ExecutionRecord | null = null;
  lastSuccessfulExecution: ExecutionRecord | null = null;
  lastSuccessfulExecutionWithExports: ExecutionRecord | null = null;
  steadyStateFirstAchievedTime: string | null = null;
  steadyStateLastAchievedTime: string | null = null;
  quarantineSince: string | null = null;
  countSuccessiveCompleteFailures = 0;

  constructor(tenantId: string, servicePrincipal: ServicePrincipalRef, config: JobConfig) {
    this.id = config.id;
    this.tenantId = tenantId;
    this.servicePrincipal = servicePrincipal;
    this.mappings = mappingsFor(config.attributeMappings);
    this.flowNull = new Set(config.flowNullAttributes);
    this.retryPendingReferences = config.retryPendingReferences;
    this.state = config.state;
    if (config.state === 'Quarantine') this.quarantineSince = new Date().toISOString();
  }

  /** Only an Active job processes; the others keep staging what they are sent. */
  get processes(): boolean {
    return this.state === 'Active';
  }

  start(): void {
    this.state = 'Active';
    this.quarantineSince = null;
  }

  pause(): void {
    this.state = 'Paused';
  }

  quarantine(): void {
    this.state = 'Quarantine';
    this.quarantineSince = new Date().toISOString();
  }

  /** Restart: staged payloads are purged and the escrow is cleared, then the job runs again. */
  restart(): void {
    this.staged = [];
    this.known.clear();
    this.pending.clear();
    this.start();
  }

  /** The Graph `synchronizationJob` resource. */
  toGraph(): Record<string, unknown> {
    return {
      id: this.id,
      templateId: 'API2AAD',
      schedule: {
        expiration: null,
        interval: 'PT40M',
        state: this.processes ? 'Active' : 'Disabled',
      },
      status: {
        code: this.state,
        countSuccessiveCompleteFailures: this.countSuccessiveCompleteFailures,
        escrowsPruned: false,
        lastExecution: this.lastExecution,
        lastSuccessfulExecution: this.lastSuccessfulExecution,
        lastSuccessfulExecutionWithExports: this.lastSuccessfulExecutionWithExports,
        progress: [],
        quarantine: this.quarantineSince
          ? {
              currentBegan: this.quarantineSince,
              nextAttempt: null,
              reason: 'Unknown',
              seriesBegan: this.quarantineSince,
              seriesCount: 1,
            }
          : null,
        steadyStateFirstAchievedTime: this.steadyStateFirstAchievedTime,
        steadyStateLastAchievedTime: this.steadyStateLastAchievedTime,
        synchronizedEntryCountByType: [{ key: 'User', value: this.known.size }],
        troubleshootingUrl: null,
      },
      synchronizationJobSettings: [],
    };
  }
}
