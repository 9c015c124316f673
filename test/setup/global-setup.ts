import { startKafka } from '@tributary/kafka-broker';

import { keepKafka } from './kafka-handle.ts';

/**
 * Integration tests get a real broker through KAFKA_BROKERS (comma-separated host:port). When the
 * caller provides one, it is used as is; otherwise a single-node broker starts on free ports for
 * this run. Workers start after this and inherit the variable.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env['KAFKA_BROKERS'] !== undefined && process.env['KAFKA_BROKERS'] !== '') return;

  const kafka = await startKafka();
  keepKafka(kafka);
  process.env['KAFKA_BROKERS'] = kafka.brokers.join(',');
}
