export * from './kafka-record.js';
export * from './push-json.js';
export * from './push-json-legacy.js';
export * from './push-protobuf.js';
export * from './push.js';
export * from './recent-data.js';
export * from './write-position.js';
