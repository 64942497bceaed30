export { ingesterModule } from './ingester/module.js';
export { Ingester, ingesterGroup } from './ingester/ingester.js';
export { PartitionIngest } from './ingester/partition-ingest.js';
export { compactorModule, controlLogConfig } from './compactor/module.js';
export { Compactor, type CompactionReport, type CompactorDeps } from './compactor/compactor.js';
export { COMPACTOR_GROUP, GroupLeadership, controlTopic, type Leadership } from './compactor/leader.js';
export { compactorMetrics, type CompactorMetrics } from './compactor/metrics.js';
