/**
 * Ruler metrics with Loki's names (`L:pkg/ruler/base/manager_metrics.go`, `manager.go`,
 * `ruler.go`): Prometheus' rule-manager metrics under `loki_` with a `user` label (and
 * `rule_group` = `<rule_path>/<tenant>/<namespace>;<group>` unless disabled); the notifier's
 * under `loki_prometheus_notifications_`; remote write under `loki_ruler_wal_`.
 */
import { Counter, Gauge, Histogram, Summary, type Registry } from 'prom-client';

/** The ruler's instruments, registered on `registry`. */
export function rulerMetrics(registry: Registry) {
  const reg = [registry];
  const group = ['user', 'rule_group'] as const;
  return {
    evaluations: new Counter({ name: 'loki_prometheus_rule_evaluations_total', help: 'The total number of rule evaluations.', labelNames: group, registers: reg }),
    evaluationFailures: new Counter({ name: 'loki_prometheus_rule_evaluation_failures_total', help: 'The total number of rule evaluation failures.', labelNames: group, registers: reg }),
    iterations: new Counter({ name: 'loki_prometheus_rule_group_iterations_total', help: 'The total number of scheduled rule group evaluations, whether executed or missed.', labelNames: group, registers: reg }),
    iterationsMissed: new Counter({ name: 'loki_prometheus_rule_group_iterations_missed_total', help: 'The total number of rule group evaluations missed due to slow rule group evaluation.', labelNames: group, registers: reg }),
    groupInterval: new Gauge({ name: 'loki_prometheus_rule_group_interval_seconds', help: 'The interval of a rule group.', labelNames: group, registers: reg }),
    groupLastEvaluation: new Gauge({ name: 'loki_prometheus_rule_group_last_evaluation_timestamp_seconds', help: 'The timestamp of the last rule group evaluation in seconds.', labelNames: group, registers: reg }),
    groupLastDuration: new Gauge({ name: 'loki_prometheus_rule_group_last_duration_seconds', help: 'The duration of the last rule group evaluation.', labelNames: group, registers: reg }),
    groupRules: new Gauge({ name: 'loki_prometheus_rule_group_rules', help: 'The number of rules.', labelNames: group, registers: reg }),
    groupLastSamples: new Gauge({ name: 'loki_prometheus_last_evaluation_samples', help: 'The number of samples returned during the last rule group evaluation.', labelNames: group, registers: reg }),
    evaluationDuration: new Summary({ name: 'loki_prometheus_rule_evaluation_duration_seconds', help: 'The duration for a rule to execute.', labelNames: ['user'] as const, percentiles: [], registers: reg }),
    groupDuration: new Summary({ name: 'loki_prometheus_rule_group_duration_seconds', help: 'The duration of rule group evaluations.', labelNames: ['user'] as const, percentiles: [], registers: reg }),
    managers: new Gauge({ name: 'loki_ruler_managers_total', help: 'Total number of managers registered and running in the ruler', registers: reg }),
    reloadSuccessful: new Gauge({ name: 'loki_ruler_config_last_reload_successful', help: 'Boolean set to 1 whenever the last configuration reload attempt was successful.', labelNames: ['user'] as const, registers: reg }),
    reloadSuccessSeconds: new Gauge({ name: 'loki_ruler_config_last_reload_successful_seconds', help: 'Timestamp of the last successful configuration reload.', labelNames: ['user'] as const, registers: reg }),
    configUpdates: new Counter({ name: 'loki_ruler_config_updates_total', help: 'Total number of config updates triggered by a user', labelNames: ['user'] as const, registers: reg }),
    syncRules: new Counter({ name: 'loki_ruler_sync_rules_total', help: 'Total number of times the ruler sync operation triggered.', labelNames: ['reason'] as const, registers: reg }),
    ownedShards: new Gauge({ name: 'fjord_ruler_owned_shards', help: 'Shards of rule groups this ruler owns (partitions of the ruler control topic).', registers: reg }),
    notificationLatency: new Summary({ name: 'loki_prometheus_notifications_latency_seconds', help: 'Latency quantiles for sending alert notifications.', labelNames: ['user', 'alertmanager'] as const, percentiles: [0.5, 0.9, 0.99], registers: reg }),
    notificationErrors: new Counter({ name: 'loki_prometheus_notifications_errors_total', help: 'Total number of sent alerts affected by errors.', labelNames: ['user', 'alertmanager'] as const, registers: reg }),
    notificationsSent: new Counter({ name: 'loki_prometheus_notifications_sent_total', help: 'Total number of alerts sent.', labelNames: ['user', 'alertmanager'] as const, registers: reg }),
    notificationsDropped: new Counter({ name: 'loki_prometheus_notifications_dropped_total', help: 'Total number of alerts dropped due to errors when sending to Alertmanager.', labelNames: ['user', 'alertmanager'] as const, registers: reg }),
    notificationQueueLength: new Gauge({ name: 'loki_prometheus_notifications_queue_length', help: 'The number of alert notifications in the queue.', labelNames: ['user', 'alertmanager'] as const, registers: reg }),
    notificationQueueCapacity: new Gauge({ name: 'loki_prometheus_notifications_queue_capacity', help: 'The capacity of the alert notifications queue.', labelNames: ['user'] as const, registers: reg }),
    alertmanagersDiscovered: new Gauge({ name: 'loki_prometheus_notifications_alertmanagers_discovered', help: 'The number of alertmanagers discovered and active.', labelNames: ['user'] as const, registers: reg }),
    rwSamples: new Counter({ name: 'loki_ruler_wal_prometheus_remote_storage_samples_total', help: 'Total number of samples sent to remote storage.', labelNames: ['tenant', 'remote_name', 'url'] as const, registers: reg }),
    rwSamplesFailed: new Counter({ name: 'loki_ruler_wal_prometheus_remote_storage_samples_failed_total', help: 'Total number of samples which failed on send to remote storage, non-recoverable errors.', labelNames: ['tenant', 'remote_name', 'url'] as const, registers: reg }),
    rwSamplesRetried: new Counter({ name: 'loki_ruler_wal_prometheus_remote_storage_samples_retried_total', help: 'Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.', labelNames: ['tenant', 'remote_name', 'url'] as const, registers: reg }),
    rwSamplesDropped: new Counter({ name: 'loki_ruler_wal_prometheus_remote_storage_samples_dropped_total', help: 'Total number of samples which were dropped from the queue unsent (older than ruler.wal.max_age).', labelNames: ['tenant', 'remote_name', 'url', 'reason'] as const, registers: reg }),
    rwBatchDuration: new Histogram({ name: 'loki_ruler_wal_prometheus_remote_storage_sent_batch_duration_seconds', help: 'Duration of send calls to the remote storage.', labelNames: ['tenant', 'remote_name', 'url'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120], registers: reg }),
    rwHighestSent: new Gauge({ name: 'loki_ruler_wal_prometheus_remote_storage_queue_highest_sent_timestamp_seconds', help: 'Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch.', labelNames: ['tenant', 'remote_name', 'url'] as const, registers: reg }),
    remoteEvalDuration: new Histogram({ name: 'loki_ruler_remote_eval_request_duration_seconds', help: 'Duration of remote rule evaluations.', labelNames: ['user'] as const, buckets: [0.005, 0.015, 0.045, 0.135, 0.405, 1.215, 3.645, 10.935, 32.805], registers: reg }),
    remoteEvalResponseBytes: new Histogram({ name: 'loki_ruler_remote_eval_response_bytes', help: 'Size of answers of remote rule evaluations.', labelNames: ['user'] as const, buckets: [32, 128, 512, 2048, 8192, 32768, 131072, 524288, 2097152, 8388608], registers: reg }),
    remoteEvalResponseSamples: new Histogram({ name: 'loki_ruler_remote_eval_response_samples', help: 'Samples in answers of remote rule evaluations.', labelNames: ['user'] as const, buckets: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144], registers: reg }),
    remoteEvalSuccesses: new Counter({ name: 'loki_ruler_remote_eval_success_total', help: 'Successful remote rule evaluations.', labelNames: ['user'] as const, registers: reg }),
    remoteEvalFailures: new Counter({ name: 'loki_ruler_remote_eval_failure_total', help: 'Failed remote rule evaluations, by reason.', labelNames: ['reason', 'user'] as const, registers: reg }),
    walSamplesAppended: new Counter({ name: 'loki_ruler_wal_samples_appended_total', help: 'Total number of samples appended to the WAL', labelNames: ['tenant'] as const, registers: reg }),
    walDiskSize: new Gauge({ name: 'loki_ruler_wal_disk_size', help: 'Size of the WAL on disk, in bytes.', labelNames: ['tenant'] as const, registers: reg }),
  };
}

/** The ruler's instruments. */
export type RulerMetrics = ReturnType<typeof rulerMetrics>;
