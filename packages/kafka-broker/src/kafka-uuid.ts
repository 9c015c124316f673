import { randomBytes } from 'node:crypto';

/**
 * A random identifier in Kafka's text form (16 bytes, base64url without padding), as
 * `kafka-storage random-uuid` prints it, minus a JVM start. Like Kafka, it never starts with '-'
 * (a command line would read it as an option) and never is one of the reserved all-zero ids.
 */
export function randomKafkaUuid(): string {
  for (;;) {
    const bytes = randomBytes(16);
    const id = bytes.toString('base64url');
    if (!id.startsWith('-') && bytes.subarray(0, 15).some((byte) => byte !== 0)) return id;
  }
}
