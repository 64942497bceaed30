/**
 * Facts about a parsed query the query path needs before evaluating it: its stream selectors
 * (compiled matchers), whether it returns logs or samples, and how far back before the query
 * start a metric query reads (largest range + offset). Pure.
 */
import type { Expr, LogRange, SampleExpr } from './ast.js';
import { compileMatcher, type CompiledMatcher } from './matchers.js';

function ranges(e: SampleExpr, out: LogRange[]): LogRange[] {
  switch (e.kind) {
    case 'rangeAggregation': out.push(e.range); break;
    case 'vectorAggregation':
    case 'labelReplace': ranges(e.inner, out); break;
    case 'binary':
      ranges(e.lhs, out);
      ranges(e.rhs, out);
      break;
    case 'literal':
    case 'vector':
      break;
  }
  return out;
}

/** True when the query returns log lines (a selector with its pipeline). */
export function isLogQuery(e: Expr): boolean {
  return e.kind === 'logSelector';
}

/** The stream selectors of a query: one matcher set per selector, in query order. */
export function streamSelectors(e: Expr): CompiledMatcher[][] {
  if (e.kind === 'logSelector') return [e.matchers.map(compileMatcher)];
  return ranges(e, []).map((r) => r.selector.matchers.map(compileMatcher));
}

/** How far before the query start a metric query reads: the largest range + offset, in ns (0 for log queries). */
export function lookbackNs(e: Expr): bigint {
  if (e.kind === 'logSelector') return 0n;
  let max = 0n;
  for (const r of ranges(e, [])) {
    const v = r.rangeNs + r.offsetNs;
    if (v > max) max = v;
  }
  return max;
}
