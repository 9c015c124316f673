import type { Worker, WorkerEventType } from '@tributary/worker-event';

export interface ThinWorkerRef {
  employeeId: string;
  sourceWorkerId?: string;
}

export interface StandardPayload {
  type: WorkerEventType;
  timestamp: string;
  effectiveDate?: string;
  changedFields?: string[];
  data: Worker | ThinWorkerRef;
}

/** A full canonical worker always has `employment`; a thin reference never does. */
export function isThin(data: Worker | ThinWorkerRef): data is ThinWorkerRef {
  return !('employment' in data);
}
