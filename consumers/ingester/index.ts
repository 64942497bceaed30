export { Ingester } from './ingester.js';
export { ingesterModule } from './module.js';
export { PartitionIngest, type IngestSettings } from './partition-ingest.js';
export { Flusher } from './flusher.js';
export { IndexWriter, type IndexedChunks } from './index-writer.js';
export { LevelIndexTable, type IndexTable } from './index-table.js';
export { ingesterMetrics, type IngesterMetrics } from './metrics.js';
export type { CutReason } from './cut-policy.js';
export { StreamChunk, DEFAULT_BLOCK_SIZE_BYTES, type StreamChunkConfig, type CutChunk, type AppendOutcome } from './stream-chunk.js';
