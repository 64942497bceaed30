/**
 * Running one piece (one split) of a metric query, sharded by stream when that is exact and worth
 * it — Loki's sharding middleware (`query_range.parallelise_shardable_queries`,
 * `L:pkg/querier/queryrange/querysharding.go`). For a shardable query (shard-plan.ts) the index
 * stats of the piece's streams over the data it reads give the shard count; with more than one,
 * the piece runs once per shard, each querier reading only the streams of its shard, and the
 * shards' results are merged (shard-merge.ts). A shard's result must name its shard: a querier
 * that does not know shards would answer for every stream, and counting that N times is refused.
 */
import { FjordError } from '../../schemas/index.js';
import { sameShard, type Shard } from '../../schemas/labels/index.js';
import { compileMatcher, printExpr } from '../logql/index.js';
import type { MetricQueryRequest } from '../engine/query-backend.js';
import { sumStats, unionSorted } from './merge.js';
import type { FrontendMetrics } from './metrics.js';
import { runOrdered } from './ordered-run.js';
import type { Piece, PieceResult } from './piece.js';
import { mergeShards } from './shard-merge.js';
import { shardFactor, shardPlanOf, statsRangeOf, type ShardPlan } from './shard-plan.js';

/** A piece's result and the time it spent queued. */
export type RunResult = { readonly result: PieceResult; readonly queueMs: number };

/** What sharding needs from the frontend, for one query. */
export interface ShardingDeps {
  /** `query_range.parallelise_shardable_queries`. */
  readonly enabled: boolean;
  /** Queue a piece (within the query's slots, with retries) and wait for its result. */
  readonly run: (piece: Piece, signal: AbortSignal) => Promise<RunResult>;
  /** `tsdb_max_bytes_per_shard` (smallest of the tenants). */
  readonly maxBytesPerShard: number;
  /** `tsdb_max_query_parallelism` (smallest of the tenants). */
  readonly maxShards: number;
  /** The querier's `max_query_series` rule for the tenants (the smallest; 0 keeps every series). */
  readonly maxSeries: number;
  /** The query is a Logs Drilldown request (partial answers past `maxSeries`, with a warning). */
  readonly drilldown: boolean;
  readonly metrics: FrontendMetrics;
}

const MAPPER = { mapper: 'shard' } as const;

function metricOf(r: RunResult, shard: Shard): Extract<PieceResult, { kind: 'metric' }> {
  if (r.result.kind !== 'metric' || !sameShard(r.result.shard, shard)) {
    throw new FjordError('internal', 'a querier answered a sharded metric query piece for every stream; upgrade the queriers or set query_range.parallelise_shardable_queries to false');
  }
  return r.result;
}

async function runShards(deps: ShardingDeps, req: MetricQueryRequest, plan: ShardPlan, of: number, signal: AbortSignal): Promise<RunResult> {
  const query = printExpr(plan.shardExpr);
  const runs = await runOrdered(of, (index, s) => deps.run({ kind: 'metric', req: { ...req, query, expr: plan.shardExpr, shard: { index, of } } }, s), of, signal);
  const results = runs.map((r, index) => metricOf(r, { index, of }));
  const merged = mergeShards(results.map((r) => r.result), plan, deps.maxSeries, deps.drilldown);
  const stats = sumStats(results.map((r) => r.stats));
  stats.shards = of;
  const warnings = unionSorted([...results.map((r) => r.warnings), merged.warnings]);
  return { result: { kind: 'metric', result: merged.result, stats, warnings, shard: null }, queueMs: runs.reduce((n, r) => n + r.queueMs, 0) };
}

/** Run the metric piece `req` (one split of a query), sharded when the query allows and its data calls for it. */
export async function runMetricPiece(deps: ShardingDeps, req: MetricQueryRequest, signal: AbortSignal): Promise<RunResult> {
  const whole = (): Promise<RunResult> => deps.run({ kind: 'metric', req }, signal);
  if (!deps.enabled) return whole();
  const plan = shardPlanOf(req.expr);
  if (plan === null) {
    deps.metrics.shardingParsedQueries.inc({ ...MAPPER, type: 'noop' });
    deps.metrics.shardFactor.observe(MAPPER, 0);
    return whole();
  }
  let stats: RunResult;
  try {
    const range = statsRangeOf(plan, req);
    stats = await deps.run({ kind: 'indexStats', req: { tenants: req.tenants, matchers: [plan.range.selector.matchers.map(compileMatcher)], ...range } }, signal);
  } catch (err) {
    deps.metrics.shardingParsedQueries.inc({ ...MAPPER, type: 'failure' });
    throw err;
  }
  deps.metrics.shardingParsedQueries.inc({ ...MAPPER, type: 'success' });
  const of = shardFactor(stats.result.kind === 'indexStats' ? stats.result.stats.bytes : 0, deps.maxBytesPerShard, deps.maxShards);
  deps.metrics.shardFactor.observe(MAPPER, of > 1 ? of : 0);
  if (of > 1) deps.metrics.shards.inc({ ...MAPPER, type: 'metrics' }, of);
  const r = of > 1 ? await runShards(deps, req, plan, of, signal) : await whole();
  return { result: r.result, queueMs: r.queueMs + stats.queueMs };
}
