export { Ingester, PartitionIngest, ingesterModule } from './ingester/index.js';
export { compactorModule, controlLogConfig } from './compactor/module.js';
export { Compactor, type CompactionReport, type CompactorDeps } from './compactor/compactor.js';
export { GroupLeadership, type Leadership } from './compactor/leader.js';
export { compactorMetrics, type CompactorMetrics } from './compactor/metrics.js';
export { OPERATOR_COMMANDS, findOperatorCommand } from './operator-commands.js';
export { Replayer, type PartitionRange, type PartitionReplayState } from './replay/replay.js';
