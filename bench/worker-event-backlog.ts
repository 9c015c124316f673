// The backlog the uploader benchmarks drain: one worker event per distinct worker.
import { Producer, type Kafka, type TypedTopic } from '../packages/kafka/src/index.ts';
import { workerKey, type WorkerEvent } from '../packages/worker-event/src/index.ts';
import { sampleWorkerEvent } from '../packages/worker-event/src/testing.ts';

/** Publishes `events` sample events (about 1.5 kB each), workers `E0` to `E<events - 1>`. */
export async function fillWorkerEvents(
  kafka: Kafka,
  topic: TypedTopic<WorkerEvent>,
  events: number,
): Promise<void> {
  const producer = new Producer(kafka, { sendTimeoutMs: 60_000 });
  const template = sampleWorkerEvent({ employeeId: '0', connectionId: 'bench-hr' });
  try {
    for (let n = 0; n < events; n += 500) {
      const batch = [];
      for (let i = n; i < Math.min(events, n + 500); i++) {
        const event = structuredClone(template);
        event.eventId = crypto.randomUUID();
        event.worker.employeeId = `E${i}`;
        event.worker.sourceWorkerId = `src-E${i}`;
        event.worker.userName = `worker.E${i}@bench.example`;
        batch.push({ key: workerKey(event), value: event });
      }
      // One send at a time: concurrent sends are coalesced into one request, which past a few
      // thousand events exceeds the broker's largest accepted batch.
      await producer.send(topic, batch);
    }
  } finally {
    await producer.disconnect();
  }
}
