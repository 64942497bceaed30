export * from './byte-reader.js';
export * from './byte-writer.js';
export * from './crc32c.js';
export * from './hash.js';
export * from './protobuf-wire.js';
export * from './varint.js';
export * from './xxhash64.js';
