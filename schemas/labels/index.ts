export * from './label-names.js';
export * from './labels.js';
export * from './shard.js';
export * from './tenant.js';
