import { isTributaryError } from '@tributary/errors';
import { createLogger } from '@tributary/logger';
import { loadUploaderConfig } from './config.ts';
import { UploaderService } from './uploader-service.ts';

const log = createLogger({ service: 'uploader' });

let service: UploaderService;
try {
  service = new UploaderService({ config: loadUploaderConfig(), log });
} catch (error) {
  // Configuration errors name the variable or key path; nothing else is worth printing.
  log.fatal(isTributaryError(error) ? { code: error.code, reason: error.message } : { err: error }, 'cannot start');
  process.exit(78);
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  });
}

try {
  await service.start();
} catch (error) {
  log.fatal(isTributaryError(error) ? { code: error.code, reason: error.message } : { err: error }, 'cannot start');
  await service.stop(5_000).catch(() => {});
  process.exit(1);
}
