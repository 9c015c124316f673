import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TributaryError } from '@tributary/errors';
import type { EmulatorState } from '../emulator-state.ts';
import type { DirectoryUser } from '../provisioning/directory.ts';
import { materializeLogRecord, type LogRecord } from '../provisioning/log-record.ts';
import type {
  ExecutionRecord,
  PendingReference,
  StagedOperation,
} from '../provisioning/provisioning-job.ts';
import type { JobState } from '../config/emulator-config.ts';

interface JobSnapshot {
  id: string;
  state: JobState;
  staged: StagedOperation[];
  known: [string, string][];
  pending: PendingReference[];
  lastExecution: ExecutionRecord | null;
  lastSuccessfulExecution: ExecutionRecord | null;
  lastSuccessfulExecutionWithExports: ExecutionRecord | null;
  steadyStateFirstAchievedTime: string | null;
  steadyStateLastAchievedTime: string | null;
}

interface Snapshot {
  version: 1;
  savedAt: string;
  users: { tenantId: string; users: DirectoryUser[] }[];
  jobs: JobSnapshot[];
  logs: LogRecord[];
  bulkRequests: EmulatorState['bulkRequests'];
  counters: EmulatorState['counters'];
}

/** Writes the state atomically: a temporary file renamed over the old snapshot. */
export async function saveSnapshot(state: EmulatorState, file: string): Promise<void> {
  const snapshot: Snapshot = {
    version: 1,
    savedAt: new Date().toISOString(),
    users: [...state.tenants].map(([tenantId, tenant]) => ({
      tenantId,
      users: [...tenant.directory.users()],
    })),
    jobs: [...state.jobs()].map(({ job }) => ({
      id: job.id,
      state: job.state,
      staged: job.staged,
      known: [...job.known],
      pending: [...job.pending.values()],
      lastExecution: job.lastExecution,
      lastSuccessfulExecution: job.lastSuccessfulExecution,
      lastSuccessfulExecutionWithExports: job.lastSuccessfulExecutionWithExports,
      steadyStateFirstAchievedTime: job.steadyStateFirstAchievedTime,
      steadyStateLastAchievedTime: job.steadyStateLastAchievedTime,
    })),
    logs: state.logs.all().map(materializeLogRecord),
    bulkRequests: state.bulkRequests,
    counters: state.counters,
  };
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(snapshot));
  await rename(temporary, file);
}

/**
 * Restores a snapshot over the freshly configured state. Tenants and jobs that are no longer
 * configured are ignored; the configuration stays the authority on what exists.
 */
export function loadSnapshot(state: EmulatorState, file: string): boolean {
  if (!existsSync(file)) return false;
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  } catch (cause) {
    throw new TributaryError('EMULATOR_STATE_UNREADABLE', `cannot read emulator state ${file}`, {
      cause,
    });
  }
  if (snapshot.version !== 1) {
    throw new TributaryError('EMULATOR_STATE_UNREADABLE', `${file}: unknown snapshot version`);
  }

  for (const { tenantId, users } of snapshot.users) {
    const tenant = state.tenants.get(tenantId);
    if (!tenant) continue;
    for (const user of users) tenant.directory.restore(user);
  }
  for (const saved of snapshot.jobs) {
    const job = state.findJob(saved.id)?.job;
    if (!job) continue;
    job.state = saved.state;
    job.staged = saved.staged;
    job.known = new Map(saved.known);
    job.pending = new Map(saved.pending.map((reference) => [reference.userId, reference]));
    job.lastExecution = saved.lastExecution;
    job.lastSuccessfulExecution = saved.lastSuccessfulExecution;
    job.lastSuccessfulExecutionWithExports = saved.lastSuccessfulExecutionWithExports;
    job.steadyStateFirstAchievedTime = saved.steadyStateFirstAchievedTime;
    job.steadyStateLastAchievedTime = saved.steadyStateLastAchievedTime;
  }
  state.logs.restore(snapshot.logs);
  state.bulkRequests = snapshot.bulkRequests;
  Object.assign(state.counters, snapshot.counters);
  return true;
}
