/** `querier:`, `query_range:` and `frontend:` — the read path (Loki's names and defaults). */
import type { SectionSpec } from './field.js';

export const querierSection = {
  fields: [
    { key: 'query_ingesters_within', flag: 'querier.query-ingesters-within', kind: 'duration', default: '3h',
      help: 'Only ask ingesters for data newer than this; older data is read from the store only.' },
    { key: 'max_concurrent', flag: 'querier.max-concurrent', kind: 'int', default: 4, min: 1,
      help: 'Query pieces one querier runs at once.' },
    { key: 'decoded_block_cache_size', flag: 'querier.decoded-block-cache-size', kind: 'bytes', default: '512MB', min: 0,
      help: 'Bytes of decompressed chunk blocks kept in memory (repeated and adjacent query pieces reuse them); 0 disables.' },
    { key: 'tail_max_duration', flag: 'querier.tail-max-duration', kind: 'duration', default: '1h', min: 1000,
      help: 'Longest a live tail may run.' },
    { key: 'multi_tenant_queries_enabled', flag: 'querier.multi-tenant-queries-enabled', kind: 'bool', default: false,
      help: 'Allow queries across tenants (X-Scope-OrgID: a|b).' },
    { key: 'allow_partial_ingester_answers', flag: 'querier.allow-partial-ingester-answers', kind: 'bool', default: false,
      help: 'Answer a log or metric query that some partitions cannot serve (no caught-up ingester in any zone) with 200: the other partitions\' data and a warning naming the missing ones, instead of 503.' },
  ],
} as const satisfies SectionSpec;

/** `frontend_worker:` — how a querier pulls query pieces from a query frontend. */
export const frontendWorkerSection = {
  fields: [
    { key: 'frontend_address', flag: 'querier.frontend-address', kind: 'string', default: '',
      help: 'host:port of the query frontend this querier pulls query pieces from; empty when the querier runs inside the frontend process or alone.' },
  ],
} as const satisfies SectionSpec;

export const queryRangeSection = {
  fields: [
    { key: 'max_retries', flag: 'querier.max-retries-per-request', kind: 'int', default: 5, min: 0,
      help: 'Retries of a failed query piece.' },
    { key: 'cache_results', flag: 'querier.cache-results', kind: 'bool', default: false,
      help: 'Cache the results of metric query pieces.' },
    { key: 'results_cache_size', flag: 'frontend.results-cache.max-size', kind: 'bytes', default: '100MB', min: 0,
      help: 'Bytes of cached query results kept in memory.' },
    { key: 'parallelise_shardable_queries', flag: 'querier.parallelise-shardable-queries', kind: 'bool', default: true,
      help: 'Split metric query pieces into shards by stream fingerprint, run across queriers, when the shards merge exactly (sum over count, rate and bytes aggregations; max/min over max/min_over_time).' },
  ],
} as const satisfies SectionSpec;

export const frontendSection = {
  fields: [
    { key: 'max_outstanding_per_tenant', flag: 'querier.max-outstanding-requests-per-tenant', kind: 'int',
      default: 2048, min: 1, help: 'Queued query pieces per tenant; past it a query gets 429.' },
    { key: 'log_queries_longer_than', flag: 'frontend.log-queries-longer-than', kind: 'duration', default: '0s',
      help: 'Log queries that take longer than this (slow-query log); 0 disables.' },
  ],
} as const satisfies SectionSpec;
