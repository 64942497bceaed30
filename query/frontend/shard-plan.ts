/**
 * Which metric queries the frontend shards by stream, and into how many shards (Loki's shard
 * mapper and dynamic shard resolver: `L:pkg/logql/shardmapper.go`,
 * `L:pkg/querier/queryrange/shard_resolver.go`, `L:pkg/storage/stores/shipper/indexshipper/tsdb/sharding/power.go`).
 *
 * A query is sharded only when the results of its shards merge into exactly its unsharded result:
 * - a range aggregation that is a sum of per-entry contributions — count_over_time, rate,
 *   bytes_over_time, bytes_rate, sum_over_time (rate and sum_over_time with unwrap too) — alone or
 *   under `sum` (by or without, nested): every output sample is a sum over the streams, so adding
 *   up the shards' samples of equal labels and time gives it, also when streams of different
 *   shards end up with the same labels (after parsers, drop, keep, label_format);
 * - max_over_time alone or under `max`, min_over_time alone or under `min`: merged by max (min).
 * Shards of a rate run as the count (or, with unwrap, sum) it divides, and bytes_rate as
 * bytes_over_time; the frontend divides the merged sums by the range in seconds, as the evaluator
 * does, so that a rate is the exact total over the range, not a sum of rounded shard rates.
 * Everything else runs unsharded: avg, count, topk, stddev, quantiles, the other range
 * aggregations (avg_over_time, first/last_over_time, rate_counter, absent_over_time, …), binary
 * operations, label_replace, literals, and any mix (`max` over `count_over_time`, `sum` over
 * `max_over_time`). Pure.
 */
import type { LogRange, RangeOp, SampleExpr } from '../logql/index.js';
import type { TimeRange } from './split.js';

/** How the shards' samples of equal labels and time combine. */
export type ShardMerge = 'sum' | 'max' | 'min';

/** A shardable query: what its shards run, how their results merge, and the one log range it reads. */
export interface ShardPlan {
  readonly merge: ShardMerge;
  readonly range: LogRange;
  /** The query each shard runs: the query with rate as its count or sum and bytes_rate as bytes_over_time. */
  readonly shardExpr: SampleExpr;
  /** What merged samples are divided by (the range in seconds, for rate and bytes_rate); null: nothing. */
  readonly divisor: number | null;
}

const SUMMABLE: ReadonlySet<RangeOp> = new Set(['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate', 'sum_over_time']);

function rangeMerge(op: RangeOp): ShardMerge | null {
  if (SUMMABLE.has(op)) return 'sum';
  if (op === 'max_over_time') return 'max';
  if (op === 'min_over_time') return 'min';
  return null;
}

/** The range aggregation its shards run instead of `op` (a rate runs as what it divides). */
function shardOp(op: RangeOp, hasUnwrap: boolean): RangeOp {
  if (op === 'rate') return hasUnwrap ? 'sum_over_time' : 'count_over_time';
  return op === 'bytes_rate' ? 'bytes_over_time' : op;
}

/** The shard plan of a query, or null when its shards could not be merged exactly. */
export function shardPlanOf(e: SampleExpr): ShardPlan | null {
  switch (e.kind) {
    case 'rangeAggregation': {
      const merge = rangeMerge(e.op);
      if (merge === null) return null;
      const isRate = e.op === 'rate' || e.op === 'bytes_rate';
      return { merge, range: e.range, shardExpr: { ...e, op: shardOp(e.op, e.range.unwrap !== null) }, divisor: isRate ? Number(e.range.rangeNs) / 1e9 : null };
    }
    case 'vectorAggregation': {
      // sum over a summable range aggregation, max over max_over_time, min over min_over_time.
      const inner = shardPlanOf(e.inner);
      return inner !== null && e.op === inner.merge ? { ...inner, shardExpr: { ...e, inner: inner.shardExpr } } : null;
    }
    case 'binary':
    case 'labelReplace':
    case 'literal':
    case 'vector':
      return null;
  }
}

/**
 * The time range whose index stats size a piece [start, end] of the query: the entries it reads,
 * fromNs < ts ≤ toNs with fromNs = start − offset − range and toNs = end − offset.
 */
export function statsRangeOf(plan: ShardPlan, piece: TimeRange): TimeRange {
  const r = plan.range;
  return { startNs: piece.startNs - r.offsetNs - r.rangeNs + 1n, endNs: piece.endNs - r.offsetNs + 1n };
}

/**
 * Loki's GuessShardFactor: the smallest power of two n with n × maxBytesPerShard ≥ bytes, at most
 * `maxShards` (which need not be a power of two); 1 means no sharding.
 */
export function shardFactor(bytes: number, maxBytesPerShard: number, maxShards: number): number {
  const cap = Math.max(1, maxShards);
  let n = 1;
  while (n < cap && n * maxBytesPerShard < bytes) n *= 2;
  return Math.min(n, cap);
}
