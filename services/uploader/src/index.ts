export {
  envSpec,
  loadUploaderConfig,
  resolveTargets,
  targetsFileSchema,
  type UploaderConfig,
} from './config.ts';
export { UploaderService, type UploaderServiceOptions } from './uploader-service.ts';
export type { UploadResult } from './records/upload-result.ts';
