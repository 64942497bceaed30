/**
 * `limits_config:` — per-tenant limits, with Loki's keys, flags and defaults
 * (`L:pkg/validation/limits.go`). Per-tenant overrides come from the `runtime_config` file.
 */
import type { SectionSpec } from './field.js';

/** Labels consulted, in order, for `service_name` when a stream has none (Loki's default list). */
export const DISCOVER_SERVICE_NAME_DEFAULT = [
  'service', 'app', 'application', 'app_name', 'name', 'app_kubernetes_io_name', 'container', 'container_name',
  'k8s_container_name', 'component', 'workload', 'job', 'k8s_job_name',
] as const;

/** JSON fields the pattern ingester tokenizes (Loki's default list). */
export const PATTERN_JSON_FIELDS_DEFAULT = ['log', 'message', 'msg', 'msg_', '_msg', 'content'] as const;

export const limitsSection = {
  fields: [
    // ingestion
    { key: 'ingestion_rate_mb', flag: 'distributor.ingestion-rate-limit-mb', kind: 'float', default: 4, min: 0,
      help: 'Per-tenant ingestion rate in MB/s (line plus structured metadata bytes), enforced by each distributor on its own.' },
    { key: 'ingestion_burst_size_mb', flag: 'distributor.ingestion-burst-size-mb', kind: 'float', default: 6, min: 0,
      help: 'Per-tenant burst in MB allowed above the rate.' },
    { key: 'max_line_size', flag: 'distributor.max-line-size', kind: 'bytes', default: '256KB', min: 0,
      help: 'Longest accepted line; 0 disables the check.' },
    { key: 'max_line_size_truncate', flag: 'distributor.max-line-size-truncate', kind: 'bool', default: false,
      help: 'Truncate lines longer than max_line_size instead of rejecting them.' },
    { key: 'max_label_name_length', flag: 'validation.max-length-label-name', kind: 'int', default: 1024, min: 1,
      help: 'Longest accepted label name.' },
    { key: 'max_label_value_length', flag: 'validation.max-length-label-value', kind: 'int', default: 2048, min: 1,
      help: 'Longest accepted label value.' },
    { key: 'max_label_names_per_series', flag: 'validation.max-label-names-per-series', kind: 'int', default: 15,
      min: 1, help: 'Most label names a stream may have (service_name is not counted).' },
    { key: 'reject_old_samples', flag: 'validation.reject-old-samples', kind: 'bool', default: true,
      help: 'Reject entries older than reject_old_samples_max_age.' },
    { key: 'reject_old_samples_max_age', flag: 'validation.reject-old-samples.max-age', kind: 'duration',
      default: '168h', help: 'Oldest accepted entry age when reject_old_samples is on.' },
    { key: 'creation_grace_period', flag: 'validation.create-grace-period', kind: 'duration', default: '10m',
      help: 'How far in the future an entry timestamp may be.' },
    { key: 'increment_duplicate_timestamp', flag: 'validation.increment-duplicate-timestamps', kind: 'bool',
      default: false, help: 'Nudge an entry whose timestamp equals the previous one of its stream by 1ns.' },
    { key: 'discover_service_name', flag: 'validation.discover-service-name', kind: 'list',
      default: DISCOVER_SERVICE_NAME_DEFAULT,
      help: 'Labels that give service_name to a stream without one; empty disables the discovery.' },
    { key: 'discover_log_levels', flag: 'validation.discover-log-levels', kind: 'bool', default: true,
      help: 'Add detected_level structured metadata to entries whose level can be read from the line.' },
    { key: 'max_streams_per_user', flag: 'ingester.max-streams-per-user', kind: 'int', default: 0, min: 0,
      help: 'Active streams per tenant per distributor; 0 disables.' },
    { key: 'max_global_streams_per_user', flag: 'ingester.max-global-streams-per-user', kind: 'int', default: 5000,
      min: 0, help: 'Active streams per tenant across the cluster; 0 disables.' },
    { key: 'per_stream_rate_limit', flag: 'ingester.per-stream-rate-limit', kind: 'bytes', default: '3MB', min: 0,
      help: 'Ingestion rate per stream in bytes per second.' },
    { key: 'per_stream_rate_limit_burst', flag: 'ingester.per-stream-rate-limit-burst', kind: 'bytes',
      default: '15MB', min: 0, help: 'Burst per stream in bytes.' },
    { key: 'allow_structured_metadata', flag: 'validation.allow-structured-metadata', kind: 'bool', default: true,
      help: 'Accept structured metadata on entries.' },
    { key: 'max_structured_metadata_size', flag: 'limits.max-structured-metadata-size', kind: 'bytes',
      default: '64KB', min: 0, help: 'Largest structured metadata of one entry; 0 disables.' },
    { key: 'max_structured_metadata_entries_count', flag: 'limits.max-structured-metadata-entries-count',
      kind: 'int', default: 128, min: 0, help: 'Most structured metadata pairs on one entry; 0 disables.' },
    // queries
    { key: 'max_entries_limit_per_query', flag: 'validation.max-entries-limit', kind: 'int', default: 5000, min: 0,
      help: 'Largest `limit` a log query may ask for.' },
    { key: 'max_query_length', flag: 'store.max-query-length', kind: 'duration', default: '721h',
      help: 'Longest time range of a query; 0 disables.' },
    { key: 'max_query_lookback', flag: 'querier.max-query-lookback', kind: 'duration', default: '0s',
      help: 'How far back queries may reach; older parts are clamped away. 0 disables.' },
    { key: 'max_query_series', flag: 'querier.max-query-series', kind: 'int', default: 500, min: 0,
      help: 'Most series a metric query returns; past it the query is refused with 400.' },
    { key: 'max_concurrent_tail_requests', flag: 'querier.max-concurrent-tail-requests', kind: 'int', default: 10, min: 0,
      help: 'Most live tails one tenant may run at once (counted on each ingester).' },
    { key: 'max_streams_matchers_per_query', flag: 'querier.max-streams-matcher-per-query', kind: 'int',
      default: 1000, min: 1, help: 'Most stream matchers one query may carry.' },
    { key: 'max_query_parallelism', flag: 'querier.max-query-parallelism', kind: 'int', default: 32, min: 1,
      help: 'Pieces of one query scheduled at once.' },
    { key: 'tsdb_max_query_parallelism', flag: 'querier.tsdb-max-query-parallelism', kind: 'int', default: 128, min: 1,
      help: 'Most shards one piece of a sharded metric query is split into.' },
    { key: 'tsdb_max_bytes_per_shard', flag: 'querier.tsdb-max-bytes-per-shard', kind: 'bytes', default: '600MB', min: 1,
      help: 'Target bytes per shard of a metric query piece: its index-stats bytes over this, rounded up to a power of two, is its shard count.' },
    { key: 'query_timeout', flag: 'querier.query-timeout', kind: 'duration', default: '1m', min: 1,
      help: 'Timeout of one query.' },
    { key: 'split_queries_by_interval', flag: 'querier.split-queries-by-interval', kind: 'duration', default: '1h',
      help: 'Queries are split into pieces of this length; 0 disables splitting.' },
    { key: 'split_metadata_queries_by_interval', flag: 'querier.split-metadata-queries-by-interval', kind: 'duration',
      default: '24h', help: 'Series and label queries are split into pieces of this length; 0 disables splitting.' },
    { key: 'max_cache_freshness_per_query', flag: 'frontend.max-cache-freshness', kind: 'duration', default: '10m',
      help: 'Results newer than this are not cached.' },
    { key: 'volume_max_series', flag: 'limits.volume-max-series', kind: 'int', default: 1000, min: 1,
      help: 'Most series a volume query returns.' },
    // patterns
    { key: 'pattern_ingester_tokenizable_json_fields_default', flag: 'limits.pattern-ingester-tokenizable-json-fields',
      kind: 'list', default: PATTERN_JSON_FIELDS_DEFAULT,
      help: 'JSON fields whose text the pattern ingester tokenizes, the first one a line has; append or delete rather than replace.' },
    { key: 'pattern_ingester_tokenizable_json_fields_append', flag: 'limits.pattern-ingester-tokenizable-json-fields-append',
      kind: 'list', default: [], help: 'JSON fields tokenized after the default list.' },
    { key: 'pattern_ingester_tokenizable_json_fields_delete', flag: 'limits.pattern-ingester-tokenizable-json-fields-delete',
      kind: 'list', default: [], help: 'JSON fields removed from the default and appended lists.' },
    // ruler
    { key: 'ruler_max_rules_per_rule_group', flag: 'ruler.max-rules-per-rule-group', kind: 'int', default: 0, min: 0,
      help: 'Most rules in one rule group of the tenant; 0 disables.' },
    { key: 'ruler_max_rule_groups_per_tenant', flag: 'ruler.max-rule-groups-per-tenant', kind: 'int', default: 0, min: 0,
      help: 'Most rule groups of the tenant; 0 disables.' },
    { key: 'ruler_remote_evaluation_timeout', flag: 'ruler.remote-evaluation-timeout', kind: 'duration', default: '0s',
      help: 'Timeout of a remote rule evaluation; 0 uses query_timeout.' },
    { key: 'ruler_remote_evaluation_max_response_size', flag: 'ruler.remote-evaluation-max-response-size', kind: 'bytes', default: 0, min: 0,
      help: 'Largest answer of a remote rule evaluation, in bytes; 0 allows any size.' },
    { key: 'ruler_remote_write_disabled', flag: 'ruler.remote-write.disabled', kind: 'bool', default: false,
      help: 'Discard the tenant\'s recording rule samples rather than remote-write them.' },
    // retention
    { key: 'retention_period', flag: 'store.retention', kind: 'duration', default: '0s',
      help: 'How long chunks are kept when the compactor applies retention; 0 keeps them forever.' },
    { key: 'retention_stream', flag: '', kind: 'stream_retention', default: [],
      help: 'Per-stream retention: [{selector, priority, period}]; a stream matching a selector keeps its data for that period (at least 24h; the highest priority wins, then the shortest period), others for retention_period. YAML only, as in Loki.' },
    // deletes
    { key: 'deletion_mode', flag: 'compactor.deletion-mode', kind: 'enum', values: ['disabled', 'filter-only', 'filter-and-delete'],
      default: 'filter-and-delete',
      help: 'Log deletion: disabled (the delete API answers 403), filter-only (queries leave deleted lines out) or filter-and-delete (the compactor also removes them from the store). The delete API needs compactor.retention_enabled.' },
  ],
} as const satisfies SectionSpec;

/** `runtime_config:` — the file of per-tenant overrides, reloaded while running. */
export const runtimeConfigSection = {
  fields: [
    { key: 'file', flag: 'runtime-config.file', kind: 'string', default: '',
      help: 'YAML file with `overrides: {<tenant>: {<limits_config key>: value}}`; empty disables overrides.' },
    { key: 'period', flag: 'runtime-config.reload-period', kind: 'duration', default: '10s', min: 100,
      help: 'How often the runtime config file is reloaded.' },
  ],
} as const satisfies SectionSpec;
