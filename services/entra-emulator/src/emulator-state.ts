import type { EmulatorConfig, TenantConfig } from './config/emulator-config.ts';
import { Directory } from './provisioning/directory.ts';
import { LogStore } from './provisioning/log-store.ts';
import { ProvisioningJob, type ServicePrincipalRef } from './provisioning/provisioning-job.ts';

export interface TenantState {
  config: TenantConfig;
  directory: Directory;
  servicePrincipals: Map<string, ServicePrincipalRef & { jobs: Map<string, ProvisioningJob> }>;
}

export interface BulkRequestRecord {
  /** When the call arrived: the moment the tenant's limits count, not when it was answered. */
  receivedAt: string;
  tenantId: string | null;
  servicePrincipalId: string;
  jobId: string;
  operations: number;
  status: number;
  errorCode: string | null;
  durationMs: number;
  requestId: string;
  clientRequestId: string;
}

export interface EmulatorCounters {
  tokensIssued: Record<string, number>;
  tokenRequestsRejected: number;
  bulkRequests: number;
  bulkRequestsByStatus: Record<string, number>;
  operationsAccepted: number;
  operationsProcessed: number;
  throttled: { window: number; dailyQuota: number };
  faults: { delayed: number; dropped: number; serverErrors: number };
  cycles: number;
  logEntries: number;
  users: number;
  dailyCallsByTenant: Record<string, number>;
}

const bulkRecordsKept = 10_000;

/** Everything the emulator knows: tenants with their directories and jobs, logs, counters. */
export class EmulatorState {
  readonly tenants = new Map<string, TenantState>();
  readonly logs: LogStore;
  bulkRequests: BulkRequestRecord[] = [];
  readonly counters = {
    tokensIssued: {} as Record<string, number>,
    tokenRequestsRejected: 0,
    bulkRequests: 0,
    bulkRequestsByStatus: {} as Record<string, number>,
    operationsAccepted: 0,
    operationsProcessed: 0,
    throttled: { window: 0, dailyQuota: 0 },
    cycles: 0,
  };

  constructor(config: EmulatorConfig) {
    this.logs = new LogStore(config.provisioningLogs.retainEntries);
    for (const tenant of config.tenants) {
      const directory = new Directory();
      for (const user of tenant.users) {
        directory.add(
          {
            userPrincipalName: user.userPrincipalName,
            accountEnabled: user.accountEnabled,
            ...(user.employeeId ? { employeeId: user.employeeId } : {}),
            ...(user.displayName ? { displayName: user.displayName } : {}),
          },
          user.id,
        );
      }
      const servicePrincipals: TenantState['servicePrincipals'] = new Map();
      for (const sp of tenant.servicePrincipals) {
        const ref: ServicePrincipalRef = {
          id: sp.id,
          displayName: sp.displayName,
          appId: sp.appId,
          ownerAppIds: sp.ownerAppIds,
        };
        const jobs = new Map(
          sp.jobs.map((job) => [job.id, new ProvisioningJob(tenant.id, ref, job)]),
        );
        servicePrincipals.set(sp.id, { ...ref, jobs });
      }
      this.tenants.set(tenant.id, { config: tenant, directory, servicePrincipals });
    }
  }

  /** A tenant by id (case-insensitive, as GUIDs are) or by its default domain. */
  resolveTenant(segment: string): string | undefined {
    const lower = segment.toLowerCase();
    for (const [id, tenant] of this.tenants) {
      if (id.toLowerCase() === lower || tenant.config.defaultDomain.toLowerCase() === lower)
        return id;
    }
    return undefined;
  }

  *jobs(): Generator<{ tenant: TenantState; job: ProvisioningJob }> {
    for (const tenant of this.tenants.values()) {
      for (const sp of tenant.servicePrincipals.values()) {
        for (const job of sp.jobs.values()) yield { tenant, job };
      }
    }
  }

  findJob(jobId: string): { tenant: TenantState; job: ProvisioningJob } | undefined {
    for (const entry of this.jobs()) if (entry.job.id === jobId) return entry;
    return undefined;
  }

  recordBulkRequest(record: BulkRequestRecord): void {
    this.counters.bulkRequests += 1;
    const status = String(record.status);
    this.counters.bulkRequestsByStatus[status] =
      (this.counters.bulkRequestsByStatus[status] ?? 0) + 1;
    this.bulkRequests.push(record);
    if (this.bulkRequests.length > bulkRecordsKept * 1.25) {
      this.bulkRequests = this.bulkRequests.slice(-bulkRecordsKept);
    }
  }
}
