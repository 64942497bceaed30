/**
 * The LogQL side of the log selector port (schemas/labels/log-selector.ts): a delete request's
 * query or a `retention_stream` selector compiled into stream matchers and, when it filters lines,
 * its log pipeline. Loki's delete API takes any log query (`syntax.ParseLogSelector`) and answers
 * anything else with `invalid query expression`. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import type { CompiledLogSelector, Labels } from '../../schemas/labels/index.js';
import type { LogSelectorExpr, Stage } from './ast.js';
import { compileLogPipeline } from './log-pipeline.js';
import { compileMatcher } from './matchers.js';
import { parseExpr } from './syntax/parser.js';

/** Loki's delete API message for a query that is not a log query. */
export const INVALID_DELETE_QUERY = 'invalid query expression';

/** Loki's `HasFilter`: a label filter, or a line filter that can drop a line (not `|= ""` / `|~ ""`). */
function filters(stage: Stage): boolean {
  if (stage.kind === 'labelFilter') return true;
  if (stage.kind !== 'lineFilter') return false;
  return !((stage.op === '|=' || stage.op === '|~') && stage.terms.every((t) => t.match === '' && !t.isIp));
}

/** Loki's `LogSelectorExpr.HasFilter`: whether any stage of the log query can drop a line. */
export function hasFilter(expr: LogSelectorExpr): boolean {
  return expr.stages.some(filters);
}

function valueOf(labels: Labels, name: string): string {
  return labels.find((l) => l.name === name)?.value ?? '';
}

/** Compile a log query for the compactor and the querier. Throws FjordError('bad_request', 'invalid query expression'). */
export function compileLogSelector(query: string): CompiledLogSelector {
  let expr;
  try {
    expr = parseExpr(query);
  } catch (err) {
    throw new FjordError('bad_request', INVALID_DELETE_QUERY, { cause: err });
  }
  if (expr.kind !== 'logSelector') throw new FjordError('bad_request', INVALID_DELETE_QUERY);
  const selector: LogSelectorExpr = expr;
  const matchers = selector.matchers.map(compileMatcher);
  const hasLineFilter = hasFilter(selector);
  const pipeline = hasLineFilter ? compileLogPipeline(selector) : null;
  return {
    hasLineFilter,
    matchesStream: (labels) => matchers.every((m) => m.matches(valueOf(labels, m.name))),
    selectsLine: (streamLabels, tsNs, line, structuredMetadata) =>
      pipeline === null || pipeline.forStream(streamLabels).process(tsNs, line, structuredMetadata) !== null,
  };
}
