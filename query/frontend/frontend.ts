/**
 * The query frontend's orchestration: a QueryBackend that splits each query into pieces (by
 * `split_queries_by_interval`, metadata by `split_metadata_queries_by_interval`), runs them through
 * the scheduler (scheduler.ts: per-tenant queues, queriers that pull, retries), serves metric pieces
 * through the results cache (cached-pieces.ts), shards metric pieces by stream when that is exact
 * (sharding.ts), and merges the results. Log pieces are taken in direction order and the query
 * stops as soon as `limit` entries are in hand. At most `max_query_parallelism` pieces of one query
 * are queued or running at once. Slow queries are logged (`frontend.log_queries_longer_than`).
 */
import { FjordError } from '../../schemas/index.js';
import type { LimitsConfig } from '../../schemas/config/index.js';
import type { Labels } from '../../schemas/labels/index.js';
import { statusOf, type Logger, type Service } from '../../platform/index.js';
import { limitResultSeries, type IndexStats, type LogQueryRequest, type MetricQueryRequest, type PatternsRequest, type QueryBackend, type QueryStats, type ResultStream, type SelectorRequest, type TailFrame, type TailRequest } from '../engine/query-backend.js';
import type { MetricResult } from '../logql/index.js';
import type { PatternResult } from '../engine/pattern-merge.js';
import { runOrdered } from './ordered-run.js';
import { hasFilter, maxRangeNs } from './query-shape.js';
import { mergeLogPieces, mergeMatrixPieces, sumStats, unionSeries, unionSorted } from './merge.js';
import type { FrontendMetrics } from './metrics.js';
import { CachedPieces, type CacheOutcome } from './cached-pieces.js';
import type { Piece, PieceResult, VolumeBuckets } from './piece.js';
import { PieceSlots } from './piece-slots.js';
import { InMemoryResultsCache, isCacheable, resultsCacheKey, type ResultsCache } from './results-cache.js';
import { PieceScheduler, type ScheduledResult } from './scheduler.js';
import { runMetricPiece, type ShardingDeps } from './sharding.js';
import { alignToStep, metricPieceRequestRange, splitByInterval, splitMetricRange, type TimeRange } from './split.js';

const MS_NS = 1_000_000n;

/** Per-tenant limits. */
export interface FrontendLimits {
  forTenant(tenant: string): LimitsConfig;
}

/** The frontend's settings. */
export interface FrontendOptions {
  /** `frontend.max_outstanding_per_tenant`. */
  readonly maxOutstandingPerTenant: number;
  /** `frontend.log_queries_longer_than`, ms; 0 disables the slow-query log. */
  readonly logQueriesLongerThanMs: number;
  /** `query_range.max_retries`. */
  readonly maxRetries: number;
  /** `query_range.cache_results`. */
  readonly cacheResults: boolean;
  /** `query_range.parallelise_shardable_queries`. */
  readonly shardQueries: boolean;
  /** `query_range.results_cache_size`, bytes. */
  readonly resultsCacheBytes: number;
  /** In-process workers over the local querier (`querier.max_concurrent`); unused without one. */
  readonly localWorkers: number;
}

function smallestPositive(values: readonly number[]): number {
  let out = 0;
  for (const v of values) if (v > 0 && (out === 0 || v < out)) out = v;
  return out;
}

function largest(values: readonly number[]): number {
  return values.reduce((a, b) => Math.max(a, b), 0);
}

/** The query frontend: query orchestration over the scheduler (scheduler.ts) and the results cache. */
export class QueryFrontend implements QueryBackend, Service {
  readonly name = 'query-frontend';
  /** The queues remote queriers pull pieces from (remote.ts). */
  readonly scheduler: PieceScheduler;
  private readonly cache: CachedPieces | null;
  private local: QueryBackend | null = null;

  /**
   * `local` is the in-process querier, or a function giving it (resolved at `start`, so the
   * querier module may be built after this one), or null when queriers are remote only.
   */
  constructor(
    private readonly opts: FrontendOptions,
    private readonly limits: FrontendLimits,
    private readonly localSource: QueryBackend | null | (() => QueryBackend | null),
    private readonly metrics: FrontendMetrics,
    private readonly logger: Logger,
    private readonly nowMs: () => number = Date.now,
    cache?: ResultsCache,
    /**
     * A text that changes when the tenants' delete requests do, put in results cache keys so a
     * delete is not hidden by results cached before it (Loki's cache generation number).
     */
    private readonly cacheGeneration: ((tenants: readonly string[], signal: AbortSignal) => Promise<string>) | null = null,
  ) {
    this.scheduler = new PieceScheduler(opts.maxOutstandingPerTenant, opts.maxRetries, metrics, nowMs);
    this.cache = opts.cacheResults ? new CachedPieces(cache ?? new InMemoryResultsCache(opts.resultsCacheBytes)) : null;
  }

  async start(_signal?: AbortSignal): Promise<void> {
    this.local = typeof this.localSource === 'function' ? this.localSource() : this.localSource;
    if (this.local !== null) this.scheduler.startLocalWorkers(this.local, this.opts.localWorkers);
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
  }

  private runPiece(piece: Piece, signal: AbortSignal, slots?: PieceSlots): Promise<ScheduledResult> {
    return this.scheduler.run(piece, signal, slots);
  }

  private limitsOf(tenants: readonly string[]): LimitsConfig[] {
    return tenants.map((t) => this.limits.forTenant(t));
  }

  /** Time `fn`, count it in loki_frontend_query_range_duration_seconds, log it when slow. */
  private async observe<T>(method: string, tenants: readonly string[], query: string, fn: () => Promise<T>, statsOf: (r: T) => QueryStats | null = () => null): Promise<T> {
    const t0 = this.nowMs();
    let status = '200';
    try {
      const r = await fn();
      this.slowLog(tenants, query, method, this.nowMs() - t0, statsOf(r));
      return r;
    } catch (err) {
      status = err instanceof FjordError ? String(statusOf(err.code)) : '500';
      throw err;
    } finally {
      this.metrics.queryDuration.observe({ method, status_code: status }, (this.nowMs() - t0) / 1000);
    }
  }

  private slowLog(tenants: readonly string[], query: string, method: string, durationMs: number, stats: QueryStats | null): void {
    const threshold = this.opts.logQueriesLongerThanMs;
    if (threshold <= 0 || durationMs <= threshold) return;
    this.logger.info({ tenant: tenants.join('|'), method, query, duration_ms: durationMs, ...(stats ?? {}) }, 'slow query');
  }

  async logQuery(req: LogQueryRequest, signal: AbortSignal): Promise<{ streams: ResultStream[]; stats: QueryStats; warnings: string[] }> {
    return this.observe('log_query', req.tenants, req.query, async () => {
      const limits = this.limitsOf(req.tenants);
      const interval = BigInt(smallestPositive(limits.map((l) => l.split_queries_by_interval))) * MS_NS;
      const ranges = splitByInterval(req.startNs, req.endNs, interval);
      if (req.direction === 'backward') ranges.reverse();
      this.metrics.partitions.observe(ranges.length);
      let collected = 0;
      const results = await runOrdered(
        ranges.length,
        (i, s) => this.runPiece({ kind: 'log', req: { ...req, ...(ranges[i] as TimeRange) } }, s),
        hasFilter(req.expr) ? smallestPositive(limits.map((l) => l.max_query_parallelism)) : 1,
        signal,
        (rs) => {
          const last = rs[rs.length - 1]?.result;
          if (last?.kind === 'log') for (const s of last.streams) collected += s.entries.length;
          return req.limit > 0 && collected >= req.limit;
        },
      );
      const logResults = results.map((r) => (r.result.kind === 'log' ? r.result : null)).filter((r) => r !== null);
      const merged = mergeLogPieces(logResults.map((r) => r.streams), req.limit, req.direction);
      const stats = sumStats(logResults.map((r) => r.stats));
      stats.splits = ranges.length;
      stats.queueTimeMs = results.reduce((n, r) => n + r.queueMs, 0);
      stats.duplicates += merged.duplicates;
      stats.entriesReturned = merged.streams.reduce((n, s) => n + s.entries.length, 0);
      return { streams: merged.streams, stats, warnings: unionSorted(logResults.map((r) => r.warnings)) };
    }, (r) => r.stats);
  }

  async metricQuery(req: MetricQueryRequest, signal: AbortSignal): Promise<{ result: MetricResult; stats: QueryStats; warnings: string[] }> {
    return this.observe('metric_query', req.tenants, req.query, async () => {
      const limits = this.limitsOf(req.tenants);
      const instant = req.startNs === req.endNs && req.stepNs === 0n;
      const interval = BigInt(smallestPositive(limits.map((l) => l.split_queries_by_interval))) * MS_NS;
      let ranges: TimeRange[] = [{ startNs: req.startNs, endNs: req.endNs }];
      if (!instant && interval > 0n && req.stepNs > 0n) {
        const aligned = alignToStep(req.startNs, req.endNs, req.stepNs);
        ranges = splitMetricRange(aligned.startNs, aligned.endNs, req.stepNs, interval, maxRangeNs(req.expr));
      }
      this.metrics.partitions.observe(ranges.length);
      const nowMs = this.nowMs();
      const freshnessMs = largest(limits.map((l) => l.max_cache_freshness_per_query));
      const generation = this.cache !== null && this.cacheGeneration !== null ? await this.cacheGeneration(req.tenants, signal) : '';
      const tenantKey = generation === '' ? req.tenants.join('|') : `${req.tenants.join('|')}@${generation}`;
      const parallelism = smallestPositive(limits.map((l) => l.max_query_parallelism));
      const slots = new PieceSlots(parallelism);
      const sharding: ShardingDeps = {
        enabled: this.opts.shardQueries,
        run: (piece, s) => this.runPiece(piece, s, slots),
        maxBytesPerShard: smallestPositive(limits.map((l) => l.tsdb_max_bytes_per_shard)),
        maxShards: smallestPositive(limits.map((l) => l.tsdb_max_query_parallelism)),
        maxSeries: Math.min(...limits.map((l) => l.max_query_series)),
        drilldown: req.drilldown ?? false,
        metrics: this.metrics,
      };
      let hits = 0;
      let misses = 0;
      const count = (o: CacheOutcome): void => {
        this.metrics.resultsCache.inc({ outcome: o === 'hit' ? 'hit' : 'miss' });
        if (o === 'miss') misses++;
        else hits++;
      };
      const results = await runOrdered(
        ranges.length,
        (i, s) => {
          const range = instant ? (ranges[i] as TimeRange) : metricPieceRequestRange(ranges[i] as TimeRange, req.stepNs);
          const compute = () => runMetricPiece(sharding, { ...req, ...range }, s);
          if (this.cache === null || instant || !isCacheable(range.endNs, nowMs, freshnessMs)) return compute();
          // A Logs Drilldown piece may hold the first max_query_series series only: cached apart.
          const cacheQuery = req.drilldown === true ? `${req.query}\u0000drilldown` : req.query;
          return this.cache.run(resultsCacheKey(tenantKey, cacheQuery, req.stepNs, range.startNs, range.endNs), compute, count);
        },
        parallelism,
        signal,
      );
      const metricResults = results.map((r) => (r.result.kind === 'metric' ? r.result : null)).filter((r) => r !== null);
      const merged = metricResults.length === 1 && instant ? (metricResults[0] as { result: MetricResult }).result : mergeMatrixPieces(metricResults.map((r) => r.result));
      const limited = limitResultSeries(merged, smallestPositive(limits.map((l) => l.max_query_series)), req.drilldown ?? false);
      const result = limited.result;
      const stats = sumStats(metricResults.map((r) => r.stats));
      stats.splits = ranges.length;
      stats.queueTimeMs = results.reduce((n, r) => n + r.queueMs, 0);
      stats.resultsCacheHits += hits;
      stats.resultsCacheMisses += misses;
      return { result, stats, warnings: unionSorted([...metricResults.map((r) => r.warnings), limited.warnings]) };
    }, (r) => r.stats);
  }

  /** Run a metadata query split by `split_metadata_queries_by_interval` (largest of the tenants). */
  private async metadata(req: SelectorRequest, make: (r: SelectorRequest) => Piece, signal: AbortSignal): Promise<PieceResult[]> {
    const limits = this.limitsOf(req.tenants);
    const interval = BigInt(largest(limits.map((l) => l.split_metadata_queries_by_interval))) * MS_NS;
    const ranges = splitByInterval(req.startNs, req.endNs, interval, true);
    this.metrics.partitions.observe(ranges.length);
    const results = await runOrdered(ranges.length, (i, s) => this.runPiece(make({ ...req, ...(ranges[i] as TimeRange) }), s), smallestPositive(limits.map((l) => l.max_query_parallelism)), signal);
    return results.map((r) => r.result);
  }

  series(req: SelectorRequest, signal: AbortSignal): Promise<Labels[]> {
    return this.observe('series', req.tenants, '', async () => {
      const rs = await this.metadata(req, (r) => ({ kind: 'series', req: r }), signal);
      return unionSeries(rs.map((r) => (r.kind === 'series' ? r.series : [])));
    });
  }

  labelNames(req: SelectorRequest, signal: AbortSignal): Promise<string[]> {
    return this.observe('labels', req.tenants, '', async () => {
      const rs = await this.metadata(req, (r) => ({ kind: 'labelNames', req: r }), signal);
      return unionSorted(rs.map((r) => (r.kind === 'labelNames' ? r.values : [])));
    });
  }

  labelValues(req: SelectorRequest & { readonly name: string }, signal: AbortSignal): Promise<string[]> {
    return this.observe('label_values', req.tenants, '', async () => {
      const rs = await this.metadata(req, (r) => ({ kind: 'labelValues', req: { ...r, name: req.name } }), signal);
      return unionSorted(rs.map((r) => (r.kind === 'labelValues' ? r.values : [])));
    });
  }

  indexStats(req: SelectorRequest, signal: AbortSignal): Promise<IndexStats> {
    return this.observe('index_stats', req.tenants, '', async () => {
      const { result } = await this.runPiece({ kind: 'indexStats', req }, signal);
      return result.kind === 'indexStats' ? result.stats : { streams: 0, chunks: 0, entries: 0, bytes: 0 };
    });
  }

  volume(req: SelectorRequest & { readonly stepNs: bigint }, signal: AbortSignal): Promise<VolumeBuckets> {
    return this.observe('volume', req.tenants, '', async () => {
      const { result } = await this.runPiece({ kind: 'volume', req }, signal);
      return result.kind === 'volume' ? result.buckets : [];
    });
  }

  /** Patterns go to a querier whole, queued as every other piece. */
  patterns(req: PatternsRequest, signal: AbortSignal): Promise<PatternResult[]> {
    return this.observe('patterns', req.tenants, '', async () => {
      const { result } = await this.runPiece({ kind: 'patterns', req }, signal);
      return result.kind === 'patterns' ? result.series : [];
    });
  }

  /** Live tails are not split or queued: they go straight to the in-process querier. */
  tail(req: TailRequest, signal: AbortSignal): AsyncIterable<TailFrame> {
    if (this.local === null) throw new FjordError('server_overloaded', 'this query frontend has no querier to tail from');
    return this.local.tail(req, signal);
  }
}
