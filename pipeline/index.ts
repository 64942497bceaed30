export * from './distributor/index.js';
export * from './validation/index.js';
export * from './push/index.js';
