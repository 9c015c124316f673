/**
 * Loaded with `node --import @tributary/telemetry/register src/main.ts`, before any module of
 * the service. Native ES modules are bound at import time, so an instrumentation can only patch
 * `express` or `node:http` if a loader hook sees them being imported: this registers that hook
 * (import-in-the-middle, limited to the modules instrumented) and enables the instrumentations.
 * `startTelemetry` in `main.ts` then gives them the tracer and meter providers.
 *
 * The hook runs in the application's own thread (`module.registerHooks`) where Node allows it.
 * `module.register` runs hooks on a loader thread of their own, with a second V8 heap that
 * stays alive for the life of the process.
 */
import { register } from 'node:module';
import { getBooleanFromEnv } from '@opentelemetry/core';
import {
  register as registerInThread,
  supportsSyncHooks,
} from 'import-in-the-middle/register-hooks.mjs';
import { instrumentations } from './instrumentations.ts';

const include = ['express', 'http', 'https', 'node:http', 'node:https'];

if (!getBooleanFromEnv('OTEL_SDK_DISABLED')) {
  if (supportsSyncHooks()) {
    registerInThread({ include });
  } else {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include } });
  }
  instrumentations();
}
