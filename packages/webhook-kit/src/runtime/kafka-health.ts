import type { Kafka } from '@tributary/kafka';
import { isTributaryError } from '@tributary/errors';

export interface KafkaHealthOptions {
  /** A successful send this recent proves the cluster reachable without asking it. */
  freshMs?: number;
  /** How long a probe may take. */
  probeTimeoutMs?: number;
}

/**
 * Whether Kafka was reachable recently, for `/readyz`. Sends report their outcomes; when none is
 * recent, a metadata request decides, and concurrent readiness checks share one probe.
 */
export class KafkaHealth {
  readonly #kafka: Kafka;
  readonly #freshMs: number;
  readonly #probeTimeoutMs: number;
  #lastOkAt = 0;
  #lastFailureAt = 0;
  #probe: Promise<boolean> | undefined;

  constructor(kafka: Kafka, options: KafkaHealthOptions = {}) {
    this.#kafka = kafka;
    this.#freshMs = options.freshMs ?? 10_000;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  }

  succeeded(): void {
    this.#lastOkAt = Date.now();
  }

  failed(error: unknown): void {
    if (
      isTributaryError(error, 'KAFKA_UNAVAILABLE') ||
      isTributaryError(error, 'KAFKA_SEND_FAILED')
    ) {
      this.#lastFailureAt = Date.now();
    }
  }

  async ready(): Promise<boolean> {
    const now = Date.now();
    if (this.#lastOkAt > this.#lastFailureAt && now - this.#lastOkAt < this.#freshMs) return true;
    this.#probe ??= this.#runProbe().finally(() => {
      this.#probe = undefined;
    });
    return this.#probe;
  }

  async #runProbe(): Promise<boolean> {
    const admin = this.#kafka.admin();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('probe timed out')), this.#probeTimeoutMs);
      });
      await Promise.race([
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        timeout,
      ]);
      this.succeeded();
      return true;
    } catch {
      this.#lastFailureAt = Date.now();
      return false;
    } finally {
      clearTimeout(timer);
      await admin.disconnect().catch(() => undefined);
    }
  }
}
