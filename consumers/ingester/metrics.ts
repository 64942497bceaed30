/** Ingester metrics, Loki's names where Loki has them (`L:pkg/ingester/metrics.go`), and the partition reader's. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { discardMetrics } from '../../platform/index.js';

/** The ingester's instruments, registered on `registry`. */
export function ingesterMetrics(registry: Registry) {
  const reg = [registry];
  return {
    discarded: discardMetrics(registry),
    memoryStreams: new Gauge({ name: 'loki_ingester_memory_streams', help: 'The total number of streams in memory.', labelNames: ['tenant'] as const, registers: reg }),
    memoryChunks: new Gauge({ name: 'loki_ingester_memory_chunks', help: 'The total number of chunks in memory.', registers: reg }),
    memoryBytes: new Gauge({ name: 'fjord_ingester_memory_bytes', help: 'Bytes held in memory by open and not yet durable chunks.', registers: reg }),
    streamsCreated: new Counter({ name: 'loki_ingester_streams_created_total', help: 'The total number of streams created per tenant.', labelNames: ['tenant'] as const, registers: reg }),
    chunksFlushed: new Counter({ name: 'loki_ingester_chunks_flushed_total', help: 'Total flushed chunks per reason.', labelNames: ['reason'] as const, registers: reg }),
    chunksFlushFailures: new Counter({ name: 'loki_ingester_chunks_flush_failures_total', help: 'Total number of flush failures.', registers: reg }),
    chunksStored: new Counter({ name: 'loki_ingester_chunks_stored_total', help: 'Total stored chunks per tenant.', labelNames: ['tenant'] as const, registers: reg }),
    chunkStoredBytes: new Counter({ name: 'loki_ingester_chunk_stored_bytes_total', help: 'Total bytes stored in chunks per tenant.', labelNames: ['tenant'] as const, registers: reg }),
    chunkEntries: new Histogram({ name: 'loki_ingester_chunk_entries', help: 'Distribution of stored lines per chunk (when stored).', buckets: [200, 400, 800, 1600, 3200, 6400, 12800, 25600, 51200], registers: reg }),
    chunkSize: new Histogram({ name: 'loki_ingester_chunk_size_bytes', help: 'Distribution of stored chunk sizes (when stored).', buckets: [20000, 40000, 80000, 160000, 320000, 640000, 1280000, 2560000, 5120000, 10240000], registers: reg }),
    chunkAge: new Histogram({ name: 'loki_ingester_chunk_age_seconds', help: 'Distribution of chunk ages (when stored).', buckets: [60, 300, 600, 1800, 3600, 7200, 14400, 36000, 43200, 57600], registers: reg }),
    chunkCompressionRatio: new Histogram({ name: 'loki_ingester_chunk_compression_ratio', help: 'Compression ratio of chunks (when stored).', buckets: [0.75, 2.75, 4.75, 6.75, 8.75, 10.75, 12.75, 14.75, 16.75, 18.75], registers: reg }),
    indexBundlesUploaded: new Counter({ name: 'fjord_ingester_index_bundles_uploaded_total', help: 'Index bundles sealed and uploaded.', registers: reg }),
    indexUploadFailures: new Counter({ name: 'fjord_ingester_index_upload_failures_total', help: 'Index bundle uploads that failed (retried on the next round).', registers: reg }),
    malformedRecords: new Counter({ name: 'fjord_ingester_malformed_records_total', help: 'Records that could not be decoded, by what was done with them.', labelNames: ['action'] as const, registers: reg }),
    entriesDuplicate: new Counter({ name: 'fjord_ingester_duplicate_entries_total', help: 'Entries dropped as exact duplicates of one in the open chunk.', registers: reg }),
    currentOffset: new Gauge({ name: 'loki_ingester_partition_current_offset', help: 'The last consumed offset of each partition.', labelNames: ['partition'] as const, registers: reg }),
    committedOffset: new Gauge({ name: 'loki_kafka_client_partition_reader_last_committed_offset', help: 'The last committed offset of each partition (-1: none yet).', labelNames: ['partition'] as const, registers: reg }),
    consumptionLag: new Gauge({ name: 'loki_kafka_client_partition_reader_consumption_lag_seconds', help: 'Now minus the time of the last record consumed, by partition.', labelNames: ['partition'] as const, registers: reg }),
    replayLag: new Gauge({ name: 'fjord_ingester_replay_lag_records', help: 'Records left to replay before a partition is caught up (0 once it is).', labelNames: ['partition'] as const, registers: reg }),
    commitFailures: new Counter({ name: 'loki_kafka_client_partition_reader_offset_commit_failures_total', help: 'Offset commits that failed.', registers: reg }),
  };
}

/** The ingester's instruments. */
export type IngesterMetrics = ReturnType<typeof ingesterMetrics>;
