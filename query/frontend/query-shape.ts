/** Facts about a query the frontend uses to plan its pieces. Pure. */
import type { LogSelectorExpr, SampleExpr } from '../logql/index.js';

/** The largest range of a metric query (Loki's maxRangeVectorAndOffsetDuration, range part). */
export function maxRangeNs(e: SampleExpr): bigint {
  switch (e.kind) {
    case 'rangeAggregation': return e.range.rangeNs;
    case 'vectorAggregation':
    case 'labelReplace':
      return maxRangeNs(e.inner);
    case 'binary': {
      const l = maxRangeNs(e.lhs);
      const r = maxRangeNs(e.rhs);
      return l > r ? l : r;
    }
    case 'literal':
    case 'vector':
      return 0n;
  }
}

/**
 * Loki's HasFilter: the pipeline has a label filter or a line filter that can exclude a line.
 * Log queries without one run their pieces one at a time (Loki's limited tripperware,
 * `limitedQuerySplits` = 1), since the newest pieces usually fill the limit.
 */
export function hasFilter(expr: LogSelectorExpr): boolean {
  return expr.stages.some(
    (s) => s.kind === 'labelFilter' || (s.kind === 'lineFilter' && !((s.op === '|=' || s.op === '|~') && s.terms.every((t) => t.match === '' && !t.isIp))),
  );
}
