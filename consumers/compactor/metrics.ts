/**
 * Compactor metrics. Loki's names where Loki has the metric (`L:pkg/compactor/metrics.go`,
 * `L:pkg/compactor/retention/metrics.go`, several still under its `loki_boltdb_shipper_`
 * namespace); `fjord_compactor_*` for the rest.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The compactor's instruments, registered on `registry`. */
export function compactorMetrics(registry: Registry) {
  const reg = [registry];
  return {
    running: new Gauge({ name: 'loki_boltdb_shipper_compactor_running', help: 'Value will be 1 if compactor is currently running on this instance', registers: reg }),
    compactRuns: new Counter({ name: 'loki_boltdb_shipper_compact_tables_operation_total', help: 'Total number of tables compaction done by status', labelNames: ['status'] as const, registers: reg }),
    compactDuration: new Gauge({ name: 'loki_boltdb_shipper_compact_tables_operation_duration_seconds', help: 'Time (in seconds) spent in compacting all the tables', registers: reg }),
    compactLastSuccess: new Gauge({ name: 'loki_boltdb_shipper_compact_tables_operation_last_successful_run_timestamp_seconds', help: 'Unix timestamp of the last successful compaction run', registers: reg }),
    retentionRuns: new Counter({ name: 'loki_compactor_apply_retention_operation_total', help: 'Total number of attempts done to apply retention with status', labelNames: ['status'] as const, registers: reg }),
    retentionLastSuccess: new Gauge({ name: 'loki_compactor_apply_retention_last_successful_run_timestamp_seconds', help: 'Unix timestamp of the last successful retention run', registers: reg }),
    marksCreated: new Counter({ name: 'loki_boltdb_shipper_retention_marker_count_total', help: 'Total count of markers created per table.', labelNames: ['table'] as const, registers: reg }),
    chunkDeleteDuration: new Histogram({ name: 'loki_boltdb_shipper_retention_sweeper_chunk_deleted_duration_seconds', help: 'Time (in seconds) spent in deleting chunk', labelNames: ['status'] as const, buckets: [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8], registers: reg }),
    markFilesCurrent: new Gauge({ name: 'loki_boltdb_shipper_retention_sweeper_marker_files_current', help: 'The current total of marker files valid for deletion.', registers: reg }),
    markFilesDeleted: new Counter({ name: 'loki_boltdb_shipper_retention_sweeper_marker_files_deleted_total', help: 'The total of marker files deleted after being fully processed.', registers: reg }),
    bundlesReplaced: new Counter({ name: 'fjord_compactor_index_bundles_replaced_total', help: 'Index bundles deleted after a bundle holding all their live refs was uploaded.', registers: reg }),
    bundlesWritten: new Counter({ name: 'fjord_compactor_index_bundles_written_total', help: 'Merged index bundles uploaded.', registers: reg }),
    refsDropped: new Counter({ name: 'fjord_compactor_chunk_refs_dropped_total', help: 'Chunk refs left out of merged bundles, by reason (duplicate, retention).', labelNames: ['reason'] as const, registers: reg }),
    tablesFailed: new Counter({ name: 'fjord_compactor_table_failures_total', help: 'Tables whose compaction failed (tried again next round).', registers: reg }),
    // deletes (`L:pkg/compactor/deletion/metrics.go`)
    deleteRequestsReceived: new Counter({ name: 'loki_compactor_delete_requests_received_total', help: 'Number of delete requests received per user', labelNames: ['user'] as const, registers: reg }),
    deleteRequestsProcessed: new Counter({ name: 'loki_compactor_delete_requests_processed_total', help: 'Number of delete requests processed per user', labelNames: ['user'] as const, registers: reg }),
    deletedLines: new Counter({ name: 'loki_compactor_deleted_lines', help: 'Number of deleted lines per user', labelNames: ['user'] as const, registers: reg }),
    pendingDeleteRequests: new Gauge({ name: 'loki_compactor_pending_delete_requests_count', help: 'Count of delete requests which are over their cancellation period and have not finished processing yet', registers: reg }),
    oldestPendingDeleteRequestAge: new Gauge({ name: 'loki_compactor_oldest_pending_delete_request_age_seconds', help: 'Age of oldest pending delete request in seconds since they are over their cancellation period', registers: reg }),
    loadPendingRequests: new Counter({ name: 'loki_compactor_load_pending_requests_attempts_total', help: 'Number of attempts that were made to load pending requests with status', labelNames: ['status'] as const, registers: reg }),
    deleteFailures: new Counter({ name: 'loki_compactor_delete_processing_fails_total', help: 'Number of times the delete phase of compaction has failed', labelNames: ['cause'] as const, registers: reg }),
  };
}

/** The compactor's instruments. */
export type CompactorMetrics = ReturnType<typeof compactorMetrics>;
