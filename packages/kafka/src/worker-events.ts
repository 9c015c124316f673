import { formatProblems, validateWorkerEvent, type WorkerEvent } from '@tributary/worker-event';
import { jsonCodec } from './codec.ts';
import { topics } from './topics.ts';
import { typedTopic } from './typed-topic.ts';

export const workerEventCodec = jsonCodec<WorkerEvent>('worker event', (value) => {
  const result = validateWorkerEvent(value);
  return result.ok
    ? { ok: true, value: result.event }
    : { ok: false, reason: formatProblems(result.problems) };
});

export const workerEventsTopic = typedTopic(topics.workerEvents, workerEventCodec);
