export { compile, describeAjvErrors } from './ajv.ts';
export { loadConfigFile, validateConfig } from './config-file.ts';
export { readEnv, setting, type EnvConfig, type EnvSetting, type EnvSpec } from './env.ts';
export { Secret, resolveSecret, secretRefSchema, type SecretRef } from './secret.ts';
