export * from './block-merge.js';
export * from './block-metadata.js';
export * from './chunk-block.js';
export * from './chunk-decode.js';
export * from './chunk-format.js';
