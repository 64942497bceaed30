/**
 * Querier metrics, Loki's names and labels: its caches as Loki's instrumented embedded caches
 * (`loki_cache_fetched_keys`/`loki_cache_hits{name}` from pkg/storage/chunk/cache/instrumented.go,
 * `loki_embeddedcache_*{cache}` from embeddedcache.go) and its queries as Loki's query statistics
 * (`loki_logql_querystats_*`, pkg/logql/metrics.go).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { QueryStats } from '../engine/query-backend.js';
import type { CacheObserver } from './lru-cache.js';

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
    /** Record what one query of `tenants` processed. */
    query(tenants: readonly string[], stats: QueryStats): void {
      bytesProcessed.inc({ tenant: tenants.join('|') }, stats.bytesProcessed + stats.structuredMetadataBytesProcessed);
      duplicates.inc(stats.duplicates);
      ingesterLines.inc(stats.ingesterLinesSent);
    },
  };
}

/** The querier's instruments. */
export type QuerierMetrics = ReturnType<typeof querierMetrics>;
