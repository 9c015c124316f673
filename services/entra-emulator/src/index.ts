export {
  startEmulator,
  type EntraEmulator,
  type RuntimeSettings,
  type StartEmulatorOptions,
} from './emulator.ts';
export { identityOptionsFor } from './identity-options.ts';
export { loadEmulatorConfig, resolveEmulatorConfig } from './config/load-emulator-config.ts';
export { emulatorConfigSchema } from './config/emulator-config-schema.ts';
export type * from './config/emulator-config.ts';
export type { BulkRequestRecord, EmulatorCounters } from './emulator-state.ts';
export type { CycleReport } from './provisioning/cycle-processor.ts';
export type { DirectoryUserView } from './inspection/directory-view.ts';
