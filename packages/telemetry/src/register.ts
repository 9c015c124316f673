/**
 * Loaded with `node --import @tributary/telemetry/register src/main.ts`, before any module of
 * the service. Native ES modules are bound at import time, so an instrumentation can only patch
 * `express` or `node:http` if a loader hook sees them being imported: this registers that hook
 * (import-in-the-middle, limited to the modules instrumented) and enables the instrumentations.
 * `startTelemetry` in `main.ts` then gives them the tracer and meter providers.
 */
import { register } from 'node:module';
import { getBooleanFromEnv } from '@opentelemetry/core';
import { instrumentations } from './instrumentations.ts';

if (!getBooleanFromEnv('OTEL_SDK_DISABLED')) {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: ['express', 'http', 'https', 'node:http', 'node:https'] },
  });
  instrumentations();
}
