export * from './partitioned-log.js';
export { EmbeddedLog } from './embedded/embedded-log.js';
export { KafkaLog } from './kafka-log.js';
export { createPartitionLog } from './create-log.js';
export { compactorGroup, ingesterGroup, ingesterGroupPrefix } from './group-names.js';
