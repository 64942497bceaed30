/**
 * Merging the results of one metric piece's shards into the piece's unsharded result: samples of
 * equal labels and time are combined by the plan's merge — summed, or the largest (smallest) kept,
 * NaN giving way to any number as in Fjord's max/min — taking the shards in order, then divided by
 * the plan's divisor (a rate's range in seconds) as the evaluator divides; series are
 * ordered as the metric evaluator orders them, and at most `maxSeries` are kept with Loki's
 * warning, as the querier does for an unsharded piece. Each kept series is then whole: a series
 * among the first `maxSeries` of the union is among the first `maxSeries` of every shard that has
 * it. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import { compareLabelSets, formatLabels, type Labels } from '../../schemas/labels/index.js';
import { limitSeries } from '../engine/query-backend.js';
import type { MatrixSeries, MetricResult, VectorSample } from '../logql/index.js';
import type { ShardMerge, ShardPlan } from './shard-plan.js';

type Combine = (acc: number, v: number) => number;

const COMBINE: Record<ShardMerge, Combine> = {
  sum: (acc, v) => acc + v,
  max: (acc, v) => (acc < v || Number.isNaN(acc) ? v : acc),
  min: (acc, v) => (acc > v || Number.isNaN(acc) ? v : acc),
};

function mergeMatrices(results: readonly MetricResult[], combine: Combine, divisor: number | null): MatrixSeries[] {
  const series = new Map<string, { metric: Labels; values: Map<number, number> }>();
  for (const r of results) {
    if (r.resultType !== 'matrix') throw new FjordError('internal', `shard results of different types: matrix and ${r.resultType}`);
    for (const s of r.result) {
      const key = formatLabels(s.metric);
      let g = series.get(key);
      if (g === undefined) series.set(key, (g = { metric: s.metric, values: new Map() }));
      for (const [t, v] of s.values) {
        const acc = g.values.get(t);
        g.values.set(t, acc === undefined ? v : combine(acc, v));
      }
    }
  }
  return [...series.values()]
    .sort((a, b) => compareLabelSets(a.metric, b.metric))
    .map((g) => ({ metric: g.metric, values: [...g.values].sort((a, b) => a[0] - b[0]).map(([t, v]) => [t, divisor === null ? v : v / divisor] as const) }));
}

function mergeVectors(results: readonly MetricResult[], combine: Combine, divisor: number | null): VectorSample[] {
  const samples = new Map<string, VectorSample>();
  for (const r of results) {
    if (r.resultType !== 'vector') throw new FjordError('internal', `shard results of different types: vector and ${r.resultType}`);
    for (const s of r.result) {
      const key = formatLabels(s.metric);
      const acc = samples.get(key);
      samples.set(key, acc === undefined ? s : { metric: s.metric, tsMs: s.tsMs, value: combine(acc.value, s.value) });
    }
  }
  return [...samples.values()]
    .sort((a, b) => compareLabelSets(a.metric, b.metric))
    .map((s) => (divisor === null ? s : { metric: s.metric, tsMs: s.tsMs, value: s.value / divisor }));
}

/**
 * Merge the results of all shards of a piece (all matrices or all vectors, in shard order), then
 * apply `max_query_series` as Loki's engine does (`limitSeries`: a 400 past `maxSeries`, the first
 * `maxSeries` and a warning for a Logs Drilldown request; 0 keeps every series). Throws
 * FjordError('internal') on a scalar or mixed types.
 */
export function mergeShards(
  results: readonly MetricResult[],
  plan: Pick<ShardPlan, 'merge' | 'divisor'>,
  maxSeries: number,
  drilldown = false,
): { result: MetricResult; warnings: string[] } {
  const first = results[0];
  if (first === undefined || first.resultType === 'scalar') throw new FjordError('internal', 'no shard results to merge, or a scalar');
  if (first.resultType === 'matrix') {
    const { kept, warnings } = limitSeries(mergeMatrices(results, COMBINE[plan.merge], plan.divisor), maxSeries, drilldown);
    return { result: { resultType: 'matrix', result: kept }, warnings };
  }
  const { kept, warnings } = limitSeries(mergeVectors(results, COMBINE[plan.merge], plan.divisor), maxSeries, drilldown);
  return { result: { resultType: 'vector', result: kept }, warnings };
}
