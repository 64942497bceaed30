export * from './distributor/index.js';
export * from './validation/index.js';
