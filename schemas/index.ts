export * from './errors.js';
export * from './codec.js';
export * from './stream-chunk.js';
