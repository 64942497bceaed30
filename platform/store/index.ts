export * from './object-store.js';
export { FilesystemStore } from './fs-store.js';
export { S3Store } from './s3-store.js';
export { createObjectStore } from './create-store.js';
export * from './delete-request-reader.js';
