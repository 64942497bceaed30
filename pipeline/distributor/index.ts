export * from './distributor.js';
export * from './module.js';
export { partitionFor } from './partitioner.js';
