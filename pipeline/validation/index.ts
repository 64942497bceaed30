export { LabelCache, parseStreamLabels, type StreamLabels } from './stream-labels.js';
export { TenantLimits, limitsFromRuntimeConfig, type Limits } from './limits.js';
export { entryBytes } from './validate.js';
