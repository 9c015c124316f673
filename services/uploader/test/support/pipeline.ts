import type { EntraEmulator } from '@tributary/entra-emulator';
import { createLogger } from '@tributary/logger';
import type { WorkerEvent } from '@tributary/worker-event';
import { sampleWorkerEvent } from '@tributary/worker-event/testing';
import { UploaderService } from '../../src/uploader-service.ts';
import { uploaderConfig, type TargetOptions } from './entra.ts';
import { EventPublisher, testNamespace } from './kafka.ts';

const log = createLogger({
  service: 'uploader-test',
  level: process.env.TEST_LOG_LEVEL ?? 'silent',
});

/** An uploader in this process, reading a fresh namespace, uploading to `emulator`. */
export async function startPipeline(
  emulator: EntraEmulator,
  cleanups: (() => Promise<unknown>)[],
  options: Partial<TargetOptions> = {},
) {
  const namespace = testNamespace();
  const publisher = new EventPublisher(namespace);
  await publisher.prepare();
  cleanups.push(() => publisher.close());
  const uploader = new UploaderService({
    config: uploaderConfig(emulator, { namespace, ...options }),
    log,
  });
  await uploader.start();
  cleanups.push(() => uploader.stop(5_000));
  return { namespace, publisher, uploader };
}

/** `count` distinct workers with no manager, ids `${prefix}0` onwards. */
export function workers(count: number, prefix = 'W'): WorkerEvent[] {
  return Array.from({ length: count }, (_, n) =>
    sampleWorkerEvent({ employeeId: `${prefix}${n}` }),
  );
}
