/** Metrics of the query frontend, with Loki's names where Loki has the metric. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The query frontend's instruments. */
export type FrontendMetrics = ReturnType<typeof frontendMetrics>;

/** Build the query frontend's instruments on `reg`. */
export function frontendMetrics(reg: Registry) {
  return {
    queueDuration: new Histogram({
      name: 'loki_query_frontend_queue_duration_seconds',
      help: 'Time spent by query pieces queued.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [reg],
    }),
    queueLength: new Gauge({
      name: 'loki_query_frontend_queue_length',
      help: 'Number of query pieces in the queue.',
      labelNames: ['tenant'] as const,
      registers: [reg],
    }),
    retries: new Histogram({
      name: 'loki_query_frontend_retries',
      help: 'Number of times a request is retried.',
      buckets: [0, 1, 2, 3, 4, 5],
      registers: [reg],
    }),
    partitions: new Histogram({
      name: 'loki_query_frontend_partitions',
      help: 'Number of time-based partitions (sub-requests) per request',
      buckets: [1, 4, 16, 64, 256],
      registers: [reg],
    }),
    queryDuration: new Histogram({
      name: 'loki_frontend_query_range_duration_seconds',
      help: 'Total time spent in seconds doing query range requests.',
      labelNames: ['method', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100],
      registers: [reg],
    }),
    // Loki's sharding metrics (`L:pkg/logql/mapper_metrics.go`), constant label mapper="shard";
    // one observation per metric query piece run while parallelise_shardable_queries is on.
    shardingParsedQueries: new Counter({
      name: 'loki_query_frontend_sharding_parsed_queries_total',
      help: 'Number of parsed queries by evaluation type (success: shardable, noop: not shardable, failure: its index stats failed).',
      labelNames: ['mapper', 'type'] as const,
      registers: [reg],
    }),
    shardFactor: new Histogram({
      name: 'loki_query_frontend_shard_factor',
      help: 'Number of downstream (shard) queries per request; 0 when not sharded.',
      labelNames: ['mapper'] as const,
      buckets: [1, 4, 16, 64, 256, 1024, 4096, 16384],
      registers: [reg],
    }),
    shards: new Counter({
      name: 'loki_query_frontend_shards_total',
      help: 'Number of downstream queries by expression type',
      labelNames: ['mapper', 'type'] as const,
      registers: [reg],
    }),
    resultsCache: new Counter({
      name: 'fjord_frontend_results_cache_requests_total',
      help: 'Lookups of metric query pieces in the results cache, by outcome (hit, miss).',
      labelNames: ['outcome'] as const,
      registers: [reg],
    }),
  };
}
