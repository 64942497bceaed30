export * from './partitioned-log.js';
export { EmbeddedLog } from './embedded/embedded-log.js';
export { KafkaLog } from './kafka-log.js';
export { createPartitionLog } from './create-log.js';
export { compactorGroup, controlTopic, groupTopic, ingesterGroup, ingesterGroupPrefix, rulerGroup, rulerTopic } from './group-names.js';
