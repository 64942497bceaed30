export * from './index-bundle-merge.js';
export * from './index-bundle-reader.js';
export * from './index-bundle.js';
export * from './index-keys.js';
export * from './object-keys.js';
export * from './retention-marks.js';
export * from './delete-requests.js';
