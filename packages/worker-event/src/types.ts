/**
 * Canonical worker event, version 1. Every adapter produces it and the uploader consumes it; the
 * JSON Schema in `schema.ts` is the contract and these types mirror it field for field.
 *
 * Conventions: instants are RFC 3339 with a zone; calendar dates (hire, termination, effective)
 * are `YYYY-MM-DD` in the HR tenant's zone, because HR systems record days, not instants. A field
 * that is absent was not provided by the source; it never means "clear this value".
 */
export const workerEventTypes = [
  'worker.hired',
  'worker.updated',
  'worker.terminated',
  'worker.termination_cancelled',
  'worker.rehired',
  'worker.leave_started',
  'worker.leave_ended',
  'worker.deleted',
  'worker.snapshot',
] as const;

export type WorkerEventType = (typeof workerEventTypes)[number];

export const employmentStatuses = [
  'pending',
  'active',
  'on_leave',
  'terminated',
  'inactive',
] as const;
export type EmploymentStatus = (typeof employmentStatuses)[number];

export const employeeTypes = [
  'employee',
  'contractor',
  'intern',
  'temporary',
  'eor',
  'other',
] as const;
export type EmployeeType = (typeof employeeTypes)[number];

export interface WorkerEvent {
  specVersion: '1';
  /** Minted by the adapter, unique per event (UUID v7, so ids sort by creation time). */
  eventId: string;
  /** Same for every redelivery of one source change; consumers de-duplicate on it. */
  idempotencyKey: string;
  eventType: WorkerEventType;
  /** When the change happened in the HR system, as the source reports it. */
  occurredAt: string;
  /** When the adapter accepted the delivery. */
  receivedAt: string;
  /** The day the change takes effect, which may lie in the future (a scheduled termination). */
  effectiveDate?: string;
  source: EventSource;
  /** Canonical paths the source said changed (`job.title`, `manager`, `custom.badgeId`). */
  changedFields?: string[];
  worker: Worker;
}

export interface EventSource {
  /** `bamboohr`, `hibob`, `merge`, `standard-webhooks`, or another adapter's name. */
  system: string;
  /** The Tributary connection that received it: routes the event to its Entra target. */
  connectionId: string;
  /** The source's own tenant: BambooHR company, HiBob companyId, Merge linked account. */
  tenantId: string;
  rawEventType: string;
  /** The vendor's delivery id when it has one (`webhook-id`, `Finch-Event-Id`). */
  deliveryId?: string;
  /** `thin` payloads were completed from the vendor's API before this event was published. */
  payloadKind: 'fat' | 'thin';
  hydratedAt?: string;
}

export interface Worker {
  /** The HR system's immutable internal id. */
  sourceWorkerId: string;
  /** The employee number: becomes SCIM `externalId`, matched to Entra `employeeId`. */
  employeeId: string;
  /** A user name candidate, usually the work email; the mapping decides the UPN. */
  userName?: string;
  name?: PersonName;
  emails?: Email[];
  phones?: Phone[];
  addresses?: Address[];
  job?: Job;
  manager?: ManagerRef;
  employment: Employment;
  /** BCP 47, e.g. `en-US`. */
  locale?: string;
  /** BCP 47, e.g. `de`. */
  preferredLanguage?: string;
  /** IANA zone, e.g. `Europe/Berlin`. */
  timezone?: string;
  /** ISO 3166-1 alpha-2, needed by Entra for licensing. */
  usageLocation?: string;
  customAttributes?: Record<string, string | number | boolean | null>;
  /** When the HR system last changed this record, if it says. */
  sourceUpdatedAt?: string;
}

export interface PersonName {
  givenName?: string;
  familyName?: string;
  middleName?: string;
  preferredGivenName?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
  displayName?: string;
  formatted?: string;
}

export interface Email {
  value: string;
  type: 'work' | 'personal' | 'other';
  primary?: boolean;
}

export interface Phone {
  /** E.164 where the source allows it. */
  value: string;
  type: 'work' | 'mobile' | 'home' | 'fax' | 'other';
  primary?: boolean;
}

export interface Address {
  type: 'work' | 'home' | 'other';
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2. */
  country?: string;
  formatted?: string;
  primary?: boolean;
}

export interface Job {
  title?: string;
  department?: string;
  departmentId?: string;
  division?: string;
  costCenter?: string;
  /** The company or legal entity. */
  organization?: string;
  location?: { id?: string; name?: string; countryCode?: string };
  jobCode?: string;
  employeeType?: EmployeeType;
  employmentType?: 'full_time' | 'part_time' | 'per_diem' | 'seasonal' | 'other';
  /** The source's own worker type, kept for mapping rules. */
  sourceWorkerType?: string;
}

/**
 * Adapters resolve a manager to the manager's employee number before publishing, because Entra
 * resolves `manager.value` against `externalId` and nothing else.
 */
export interface ManagerRef {
  employeeId: string;
  sourceWorkerId?: string;
}

export interface Employment {
  status: EmploymentStatus;
  /** Whether the account should be enabled now; the uploader maps it to SCIM `active`. */
  active: boolean;
  hireDate?: string;
  originalHireDate?: string;
  startDate?: string;
  terminationDate?: string;
  terminationReason?: string;
  isRehire?: boolean;
}
