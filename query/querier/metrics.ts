/**
 * Querier metrics, Loki's names and labels: its caches as Loki's instrumented embedded caches
 * (`loki_cache_fetched_keys`/`loki_cache_hits{name}` from pkg/storage/chunk/cache/instrumented.go,
 * `loki_embeddedcache_*{cache}` from embeddedcache.go) and its queries as Loki's query statistics
 * (`loki_logql_querystats_*`, pkg/logql/metrics.go).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { QueryStats } from '../engine/query-backend.js';
import type { CacheObserver } from './lru-cache.js';

/** Loki's query statistics labels: status code, `metric`/`filter`/`limited`, `range`/`instant`, whether it ran on one shard. */
export interface QueryKind {
  readonly status: string;
  readonly type: 'metric' | 'filter' | 'limited';
  readonly range: 'range' | 'instant';
  readonly sharded: boolean;
}

/** Queries slower than this count as `latency_type="slow"` (Loki's slowQueryThresholdSecond). */
const SLOW_QUERY_S = 10;
/** Loki's buckets of bytes processed per second. */
const BYTES_PER_SECOND_BUCKETS = [50e6, 100e6, 400e6, 600e6, 800e6, 1e9, 2e9, 3e9, 4e9, 5e9, 6e9, 7e9, 8e9, 9e9, 10e9, 15e9, 20e9, 30e9, 40e9, 50e9, 60e9];

function exponentialBuckets(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}

/** The querier's instruments, registered on `registry`. */
export function querierMetrics(registry: Registry) {
  const fetchedKeys = new Counter({ name: 'loki_cache_fetched_keys', help: 'Total count of keys requested from cache.', labelNames: ['name'] as const, registers: [registry] });
  const hits = new Counter({ name: 'loki_cache_hits', help: 'Total count of keys found in cache.', labelNames: ['name'] as const, registers: [registry] });
  const added = new Counter({ name: 'loki_embeddedcache_added_new_total', help: 'The total number of new entries added to the cache', labelNames: ['cache'] as const, registers: [registry] });
  const evicted = new Counter({ name: 'loki_embeddedcache_evicted_total', help: 'The total number of evicted entries', labelNames: ['cache', 'reason'] as const, registers: [registry] });
  const entries = new Gauge({ name: 'loki_embeddedcache_entries', help: 'The total number of entries', labelNames: ['cache'] as const, registers: [registry] });
  const memory = new Gauge({ name: 'loki_embeddedcache_memory_bytes', help: 'The current cache size in bytes', labelNames: ['cache'] as const, registers: [registry] });
  const bytesProcessed = new Counter({ name: 'loki_logql_querystats_bytes_processed_total', help: 'Total number of bytes processed by LogQL queries, partitioned by tenant.', labelNames: ['tenant'] as const, registers: [registry] });
  const duplicates = new Counter({ name: 'loki_logql_querystats_duplicates_total', help: 'Total count of duplicates found while executing LogQL queries.', registers: [registry] });
  const ingesterLines = new Counter({ name: 'loki_logql_querystats_ingester_sent_lines_total', help: 'Total count of lines sent from ingesters while executing LogQL queries.', registers: [registry] });
  const latency = new Histogram({ name: 'loki_logql_querystats_latency_seconds', help: 'Distribution of latency for LogQL queries.', labelNames: ['status_code', 'type', 'range'] as const, buckets: exponentialBuckets(0.25, 2, 10), registers: [registry] });
  const bytesPerSecond = new Histogram({
    name: 'loki_logql_querystats_bytes_processed_per_seconds', help: 'Distribution of bytes processed per second for LogQL queries.',
    labelNames: ['status_code', 'type', 'range', 'latency_type', 'sharded'] as const, buckets: BYTES_PER_SECOND_BUCKETS, registers: [registry],
  });
  return {
    /** The observer of the cache called `name`. */
    cache(name: string): CacheObserver {
      return {
        lookup: (hit) => {
          fetchedKeys.inc({ name });
          if (hit) hits.inc({ name });
        },
        added: () => added.inc({ cache: name }),
        evicted: (reason) => evicted.inc({ cache: name, reason }),
        size: (count, bytes) => {
          entries.set({ cache: name }, count);
          memory.set({ cache: name }, bytes);
        },
      };
    },
    /** Record what one query of `tenants` processed, and how long it took (Loki's `RecordRangeAndInstantQueryMetrics`). */
    query(tenants: readonly string[], stats: QueryStats, kind: QueryKind): void {
      const bytes = stats.bytesProcessed + stats.structuredMetadataBytesProcessed;
      bytesProcessed.inc({ tenant: tenants.join('|') }, bytes);
      duplicates.inc(stats.duplicates);
      ingesterLines.inc(stats.ingesterLinesSent);
      const execS = stats.execTimeMs / 1000;
      latency.observe({ status_code: kind.status, type: kind.type, range: kind.range }, execS);
      if (execS > 0) {
        bytesPerSecond.observe(
          { status_code: kind.status, type: kind.type, range: kind.range, latency_type: execS > SLOW_QUERY_S ? 'slow' : 'fast', sharded: String(kind.sharded) },
          bytes / execS,
        );
      }
    },
  };
}

/** The querier's instruments. */
export type QuerierMetrics = ReturnType<typeof querierMetrics>;
