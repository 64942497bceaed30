/**
 * The query frontend: a QueryBackend that splits each query into pieces (by
 * `split_queries_by_interval`, metadata by `split_metadata_queries_by_interval`), queues the pieces
 * on per-tenant queues served round-robin to queriers that pull them (in-process workers over a
 * local querier, and remote queriers over HTTP), retries failed pieces, serves metric pieces from
 * the results cache, shards metric pieces by stream when that is exact (sharding.ts), and merges
 * the results. Log pieces are taken in direction order and the query stops as soon as `limit`
 * entries are in hand. At most `max_query_parallelism` pieces of one query are queued or running
 * at once. Slow queries are logged (`frontend.log_queries_longer_than`).
 */
import { setMaxListeners } from 'node:events';
import { FjordError } from '../../schemas/index.js';
import type { LimitsConfig } from '../../schemas/config/index.js';
import type { Labels } from '../../schemas/labels/index.js';
import { statusOf, type Logger, type Service } from '../../platform/index.js';
import { emptyStats, type IndexStats, type LogQueryRequest, type MetricQueryRequest, type QueryBackend, type QueryStats, type ResultStream, type SelectorRequest, type TailFrame, type TailRequest } from '../engine/query-backend.js';
import type { MetricResult } from '../logql/index.js';
import { runOrdered } from './ordered-run.js';
import { hasFilter, maxRangeNs } from './query-shape.js';
import { mergeLogPieces, mergeMatrixPieces, seriesCount, sumStats, unionSeries, unionSorted } from './merge.js';
import type { FrontendMetrics } from './metrics.js';
import { executePiece, queueKeyOf, type Piece, type PieceResult, type VolumeBuckets } from './piece.js';
import { PieceSlots } from './piece-slots.js';
import { InMemoryResultsCache, isCacheable, resultsCacheKey, type ResultsCache } from './results-cache.js';
import { retryPolicy, withRetries, type RetryPolicy } from './retry.js';
import { runMetricPiece, type ShardingDeps } from './sharding.js';
import { alignToStep, metricPieceRequestRange, splitByInterval, splitMetricRange, type TimeRange } from './split.js';
import { TenantQueues } from './tenant-queues.js';

const MS_NS = 1_000_000n;

/** Loki's limitErrTmpl for too many series in a metric query. */
export function maxSeriesError(max: number): FjordError {
  return new FjordError('bad_request', `maximum number of series (${max}) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()`);
}

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

/** The outcome of a piece, as a worker reports it. */
export type PieceOutcome = { readonly ok: true; readonly result: PieceResult } | { readonly ok: false; readonly error: unknown };

/** A queued piece. */
export interface FrontendJob {
  readonly id: string;
  readonly piece: Piece;
  readonly signal: AbortSignal;
  readonly enqueuedAtMs: number;
  dequeuedAtMs: number;
  settled: boolean;
  settle(outcome: PieceOutcome): void;
}

function smallestPositive(values: readonly number[]): number {
  let out = 0;
  for (const v of values) if (v > 0 && (out === 0 || v < out)) out = v;
  return out;
}

function largest(values: readonly number[]): number {
  return values.reduce((a, b) => Math.max(a, b), 0);
}

/** The query frontend. */
export class QueryFrontend implements QueryBackend, Service {
  readonly name = 'query-frontend';
  private readonly queues: TenantQueues<FrontendJob>;
  private readonly inflight = new Map<string, FrontendJob>();
  private readonly policy: RetryPolicy;
  private readonly cache: ResultsCache | null;
  /** Cacheable metric pieces being computed, so identical concurrent queries compute each piece once. */
  private readonly sharedPieces = new Map<string, Promise<MetricResult | null>>();
  private readonly stopController = new AbortController();
  private workers: Promise<void>[] = [];
  private seq = 0;
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
  ) {
    this.queues = new TenantQueues(opts.maxOutstandingPerTenant);
    this.policy = retryPolicy(opts.maxRetries);
    this.cache = opts.cacheResults ? (cache ?? new InMemoryResultsCache(opts.resultsCacheBytes)) : null;
  }

  async start(_signal?: AbortSignal): Promise<void> {
    this.local = typeof this.localSource === 'function' ? this.localSource() : this.localSource;
    if (this.local === null) return;
    const local = this.local;
    for (let i = 0; i < this.opts.localWorkers; i++) this.workers.push(this.localWorker(local));
  }

  async stop(): Promise<void> {
    if (this.stopController.signal.aborted) return;
    const reason = new FjordError('server_overloaded', 'the query frontend is stopping');
    this.stopController.abort(reason);
    for (const job of this.queues.close(reason)) job.settle({ ok: false, error: reason });
    for (const job of this.inflight.values()) job.settle({ ok: false, error: reason });
    await Promise.all(this.workers);
  }

  /** Pieces waiting in the queues. */
  get queued(): number {
    return this.queues.length;
  }

  // ---- the worker side -------------------------------------------------------------------

  /** Take the next piece for a worker, waiting for one; null when `signal` aborts or the frontend stops. */
  async takeJob(signal: AbortSignal): Promise<FrontendJob | null> {
    const both = AbortSignal.any([signal, this.stopController.signal]);
    setMaxListeners(0, both);
    for (;;) {
      let d;
      try {
        d = await this.queues.dequeue(both);
      } catch {
        return null;
      }
      this.metrics.queueLength.set({ tenant: d.tenant }, this.queues.lengthOf(d.tenant));
      const job = d.item;
      if (job.settled) continue;
      job.dequeuedAtMs = this.nowMs();
      this.metrics.queueDuration.observe((job.dequeuedAtMs - job.enqueuedAtMs) / 1000);
      this.inflight.set(job.id, job);
      return job;
    }
  }

  /** Report the outcome of a piece a worker took; false when it is no longer awaited. */
  completeJob(id: string, outcome: PieceOutcome): boolean {
    const job = this.inflight.get(id);
    if (job === undefined) return false;
    job.settle(outcome);
    return true;
  }

  private async localWorker(local: QueryBackend): Promise<void> {
    for (;;) {
      const job = await this.takeJob(this.stopController.signal);
      if (job === null) return;
      try {
        job.settle({ ok: true, result: await executePiece(local, job.piece, job.signal) });
      } catch (error) {
        job.settle({ ok: false, error });
      }
    }
  }

  // ---- the query side --------------------------------------------------------------------

  /** Queue one piece and wait for a worker's outcome; the wait counts as queue time. */
  private dispatch(piece: Piece, signal: AbortSignal): Promise<{ result: PieceResult; queueMs: number }> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const tenant = queueKeyOf(piece);
      const onAbort = (): void => {
        this.queues.remove(tenant, job);
        job.settle({ ok: false, error: signal.reason });
      };
      const job: FrontendJob = {
        id: `${++this.seq}`,
        piece,
        signal,
        enqueuedAtMs: this.nowMs(),
        dequeuedAtMs: 0,
        settled: false,
        settle: (o) => {
          if (job.settled) return;
          job.settled = true;
          signal.removeEventListener('abort', onAbort);
          this.inflight.delete(job.id);
          if (o.ok) resolve({ result: o.result, queueMs: Math.max(0, (job.dequeuedAtMs || this.nowMs()) - job.enqueuedAtMs) });
          else reject(o.error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        this.queues.enqueue(tenant, job);
        this.metrics.queueLength.set({ tenant }, this.queues.lengthOf(tenant));
      } catch (err) {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      }
    });
  }

  /** Queue a piece, trying again as the retry policy allows; each try holds one of `slots` when given. */
  private runPiece(piece: Piece, signal: AbortSignal, slots?: PieceSlots): Promise<{ result: PieceResult; queueMs: number }> {
    const attempt = (): Promise<{ result: PieceResult; queueMs: number }> => this.dispatch(piece, signal);
    return withRetries(slots === undefined ? attempt : () => slots.run(attempt, signal), this.policy, signal, (tries) => this.metrics.retries.observe(tries - 1));
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

  async logQuery(req: LogQueryRequest, signal: AbortSignal): Promise<{ streams: ResultStream[]; stats: QueryStats }> {
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
      const streams = results.map((r) => (r.result.kind === 'log' ? r.result.streams : []));
      const merged = mergeLogPieces(streams, req.limit, req.direction);
      const stats = sumStats(results.map((r) => (r.result.kind === 'log' ? r.result.stats : emptyStats())));
      stats.splits = ranges.length;
      stats.queueTimeMs = results.reduce((n, r) => n + r.queueMs, 0);
      stats.duplicates += merged.duplicates;
      stats.entriesReturned = merged.streams.reduce((n, s) => n + s.entries.length, 0);
      return { streams: merged.streams, stats };
    }, (r) => r.stats);
  }

  async metricQuery(req: MetricQueryRequest, signal: AbortSignal): Promise<{ result: MetricResult; stats: QueryStats; warnings: string[] }> {
    return this.observe('metric_query', req.tenants, req.query, async () => {
      const limits = this.limitsOf(req.tenants);
      const instant = req.startNs === req.endNs;
      const interval = BigInt(smallestPositive(limits.map((l) => l.split_queries_by_interval))) * MS_NS;
      let ranges: TimeRange[] = [{ startNs: req.startNs, endNs: req.endNs }];
      if (!instant && interval > 0n && req.stepNs > 0n) {
        const aligned = alignToStep(req.startNs, req.endNs, req.stepNs);
        ranges = splitMetricRange(aligned.startNs, aligned.endNs, req.stepNs, interval, maxRangeNs(req.expr));
      }
      this.metrics.partitions.observe(ranges.length);
      const nowMs = this.nowMs();
      const freshnessMs = largest(limits.map((l) => l.max_cache_freshness_per_query));
      const tenantKey = req.tenants.join('|');
      const parallelism = smallestPositive(limits.map((l) => l.max_query_parallelism));
      const slots = new PieceSlots(parallelism);
      const sharding: ShardingDeps = {
        enabled: this.opts.shardQueries,
        run: (piece, s) => this.runPiece(piece, s, slots),
        maxBytesPerShard: smallestPositive(limits.map((l) => l.tsdb_max_bytes_per_shard)),
        maxShards: smallestPositive(limits.map((l) => l.tsdb_max_query_parallelism)),
        maxSeries: Math.min(...limits.map((l) => l.max_query_series)),
        metrics: this.metrics,
      };
      let hits = 0;
      let misses = 0;
      const results = await runOrdered(
        ranges.length,
        async (i, s) => {
          const range = instant ? (ranges[i] as TimeRange) : metricPieceRequestRange(ranges[i] as TimeRange, req.stepNs);
          const cacheable = this.cache !== null && !instant && isCacheable(range.endNs, nowMs, freshnessMs);
          const key = resultsCacheKey(tenantKey, req.query, req.stepNs, range.startNs, range.endNs);
          if (cacheable) {
            const hit = await (this.cache as ResultsCache).get(key);
            this.metrics.resultsCache.inc({ outcome: hit === undefined ? 'miss' : 'hit' });
            if (hit !== undefined) {
              hits++;
              return { result: { kind: 'metric', result: hit, stats: emptyStats(), warnings: [], shard: null } as PieceResult, queueMs: 0 };
            }
            misses++;
          }
          const shared = cacheable ? this.sharedPieces.get(key) : undefined;
          if (shared !== undefined) {
            const result = await shared.catch(() => null);
            if (result !== null) {
              hits++;
              return { result: { kind: 'metric', result, stats: emptyStats(), warnings: [], shard: null } as PieceResult, queueMs: 0 };
            }
          }
          const run = runMetricPiece(sharding, { ...req, ...range }, s);
          if (cacheable) {
            const settled = run.then((r) => (r.result.kind === 'metric' ? r.result.result : null));
            this.sharedPieces.set(key, settled);
            void settled.catch(() => null).finally(() => this.sharedPieces.delete(key));
          }
          const r = await run;
          if (cacheable && r.result.kind === 'metric') await (this.cache as ResultsCache).set(key, r.result.result);
          return r;
        },
        parallelism,
        signal,
      );
      const metricResults = results.map((r) => (r.result.kind === 'metric' ? r.result : null)).filter((r) => r !== null);
      const result = metricResults.length === 1 && instant ? (metricResults[0] as { result: MetricResult }).result : mergeMatrixPieces(metricResults.map((r) => r.result));
      const maxSeries = smallestPositive(limits.map((l) => l.max_query_series));
      if (!instant && maxSeries > 0 && seriesCount(result) > maxSeries) throw maxSeriesError(maxSeries);
      const stats = sumStats(metricResults.map((r) => r.stats));
      stats.splits = ranges.length;
      stats.queueTimeMs = results.reduce((n, r) => n + r.queueMs, 0);
      stats.resultsCacheHits += hits;
      stats.resultsCacheMisses += misses;
      return { result, stats, warnings: unionSorted(metricResults.map((r) => r.warnings)) };
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

  /** Live tails are not split or queued: they go straight to the in-process querier. */
  tail(req: TailRequest, signal: AbortSignal): AsyncIterable<TailFrame> {
    if (this.local === null) throw new FjordError('server_overloaded', 'this query frontend has no querier to tail from');
    return this.local.tail(req, signal);
  }
}
