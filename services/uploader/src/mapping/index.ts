export { compileMapping } from './compile-mapping.ts';
export { defaultMapping } from './default-mapping.ts';
export { mappingConfigSchema } from './mapping-config-schema.ts';
export { scimDigest, serializeUser, type SerializedUser } from './scim-digest.ts';
export { coreSchemaUrn, enterpriseSchemaUrn } from './scim-targets.ts';
export type { AttributeRule, MapResult, Mapper, MappingConfig, ScimUser } from './types.ts';
