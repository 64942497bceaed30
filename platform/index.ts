export * from './runtime/index.js';
export * from './log/index.js';
export * from './store/index.js';
export * from './codecs/index.js';
export * from './logger.js';
export * from './clock.js';
export * from './deadline.js';
