export * from './build.js';
export * from './field.js';
export * from './print.js';
export * from './tree.js';
export * from './values.js';
export { CHUNK_ENCODINGS } from './ingester.js';
export { DISCOVER_SERVICE_NAME_DEFAULT, limitsSection } from "./limits.js";
export { TenantLimits, limitsFromRuntimeConfig, type Limits } from './tenant-limits.js';
export { RULE_STORE_TYPES, RULER_STORAGE_BACKENDS } from './ruler.js';
