export * from './labels.js';
export * from './shard.js';
export * from './tenant.js';
export * from './stream-labels.js';
export * from './log-selector.js';
export * from './stable-hash.js';
