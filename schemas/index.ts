export * from './errors.js';
export * from './config/index.js';
export * from "./tenant.js";
export * from "./crc32c.js";
export * from './labels.js';
export * from './hash.js';
export * from "./codec.js";
export * from "./push.js";
