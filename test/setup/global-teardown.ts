import { takeKafka } from './kafka-handle.ts';

/** Stops the broker that the global setup started, if it started one. */
export default async function globalTeardown(): Promise<void> {
  const kafka = takeKafka();
  if (kafka === undefined) return;

  await kafka.stop();
  delete process.env['KAFKA_BROKERS'];
}
