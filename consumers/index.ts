export { ingesterModule } from './ingester/module.js';
export { Ingester, ingesterGroup } from './ingester/ingester.js';
export { PartitionIngest } from './ingester/partition-ingest.js';
