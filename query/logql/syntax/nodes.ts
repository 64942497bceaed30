/**
 * Builders the grammar actions call, with Loki's checks (pkg/logql/syntax/ast.go): some fail the
 * parse at once (a bad regex in a matcher, as Loki's panics do), others leave an invalid node
 * whose error is reported when the finished tree is validated, in Loki's order. Pure.
 */
import type {
  BinaryOp, Expr, Grouping, LabelExtraction, LogRange, LogSelectorExpr, Matcher, MatchType, RangeOp, SampleExpr,
  Stage, VectorMatching, VectorOp,
} from '../ast.js';
import { compileAnchoredRegex } from '../matchers.js';
import { compileGoRegex } from '../regex/re2-compile.js';
import { compilePattern } from '../stages/pattern-expr.js';
import { formatGoFloatFixed6, parseGoFloat, strconvAtoi } from '../../../schemas/go/index.js';

/** A node whose construction failed; Loki keeps such nodes and reports their error on validation. */
export interface InvalidNode {
  readonly kind: 'invalid';
  readonly error: string;
  /** True for a literal that did not parse: Loki still treats it as a literal. */
  readonly isLiteral: boolean;
}

/** A sample expression during parsing: children may still be invalid nodes. */
export type SampleNode = SampleExpr | InvalidNode;

/** Any expression during parsing. */
export type ExprNode = LogSelectorExpr | SampleNode;

/** Thrown by builders for errors Loki raises immediately (its panics); reported at line 0, col 0. */
export class ImmediateParseError extends Error {}

/** Options of a binary operation as the modifiers set them. */
export interface BinOpOptions {
  readonly returnBool: boolean;
  readonly matching: VectorMatching;
}

const invalid = (error: string, isLiteral = false): InvalidNode => ({ kind: 'invalid', error, isLiteral });

/** Loki's mustNewMatcher: a regex that does not compile fails the parse at once. */
export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  if (type === '=~' || type === '!~') {
    const r = compileAnchoredRegex(value);
    if (!r.ok) throw new ImmediateParseError(r.error);
  }
  return { type, name, value };
}

/** A selector with its pipeline. */
export function newLogSelector(matchers: readonly Matcher[], stages: readonly Stage[]): LogSelectorExpr {
  return { kind: 'logSelector', matchers, stages };
}

/** Loki's newLogfmtParserExpr / newLogfmtExpressionParser. */
export function newLogfmt(flags: readonly string[], extractions: readonly LabelExtraction[]): Stage {
  return { kind: 'logfmt', strict: flags.includes('--strict'), keepEmpty: flags.includes('--keep-empty'), extractions };
}

/** Loki's newLabelParserExpr: `regexp` and `pattern` parameters are checked at once. */
export function newRegexpOrPattern(kind: 'regexp' | 'pattern', param: string): Stage {
  if (kind === 'regexp') {
    const r = compileGoRegex(param, { dotNL: false, anchored: false });
    if (!r.ok) throw new ImmediateParseError(`invalid regexp parser: ${r.error}`);
    const names = r.regex.captureNames.filter((n) => n !== '');
    if (r.regex.captureNames.length <= 1 || names.length === 0) throw new ImmediateParseError('invalid regexp parser: at least one named capture must be supplied');
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new ImmediateParseError(`invalid regexp parser: duplicate extracted label name '${n}'`);
      seen.add(n);
    }
    return { kind: 'regexp', pattern: param };
  }
  const p = compilePattern(param);
  if (!p.ok) throw new ImmediateParseError(`invalid pattern parser: ${p.error}`);
  return { kind: 'pattern', pattern: param };
}

/** Loki's mustNewLiteralExpr. */
export function newLiteral(text: string, negate: boolean): SampleNode {
  const v = parseGoFloat(text);
  if (!v.ok) return invalid(`unable to parse literal as a float: ${v.error}`, true);
  return { kind: 'literal', value: negate ? -v.value : v.value };
}

/** The value of a literal used by a numeric label filter; Loki panics on a bad literal. */
export function literalValue(node: SampleNode): number {
  if (node.kind === 'invalid') throw new ImmediateParseError(node.error);
  if (node.kind !== 'literal') throw new ImmediateParseError('unexpected literal');
  return node.value;
}

/** Loki's NewVectorExpr. */
export function newVector(text: string): SampleNode {
  const v = parseGoFloat(text);
  if (!v.ok) return invalid(`unable to parse vectorExpr as a float: ${v.error}`);
  return { kind: 'vector', value: v.value };
}

const GROUPING_ALLOWED: ReadonlySet<RangeOp> = new Set([
  'avg_over_time', 'stddev_over_time', 'stdvar_over_time', 'quantile_over_time', 'max_over_time', 'min_over_time',
  'first_over_time', 'last_over_time',
]);
const UNWRAP_ALLOWED: ReadonlySet<RangeOp> = new Set([
  'avg_over_time', 'sum_over_time', 'max_over_time', 'min_over_time', 'stddev_over_time', 'stdvar_over_time',
  'quantile_over_time', 'rate', 'rate_counter', 'absent_over_time', 'first_over_time', 'last_over_time',
]);
const NO_UNWRAP_ALLOWED: ReadonlySet<RangeOp> = new Set(['bytes_over_time', 'bytes_rate', 'count_over_time', 'rate', 'absent_over_time']);

/** Loki's newRangeAggregationExpr with its validate(). */
export function newRangeAggregation(range: LogRange, op: RangeOp, grouping: Grouping | null, param: string | null): SampleNode {
  let value: number | null = null;
  if (param !== null) {
    if (op !== 'quantile_over_time') return invalid(`parameter ${param} not supported for operation ${op}`);
    const v = parseGoFloat(param);
    if (!v.ok) return invalid(`invalid parameter for operation ${op}: ${v.error}`);
    value = v.value;
  } else if (op === 'quantile_over_time') {
    return invalid(`parameter required for operation ${op}`);
  }
  if (grouping !== null && !GROUPING_ALLOWED.has(op)) return invalid(`grouping not allowed for ${op} aggregation`);
  if (range.unwrap !== null) {
    if (!UNWRAP_ALLOWED.has(op)) return invalid(`invalid aggregation ${op} with unwrap`);
  } else if (!NO_UNWRAP_ALLOWED.has(op)) {
    return invalid(`invalid aggregation ${op} without unwrap`);
  }
  return { kind: 'rangeAggregation', op, range, param: value, grouping };
}

/** Loki's mustNewVectorAggregationExpr. */
export function newVectorAggregation(inner: SampleNode, op: VectorOp, grouping: Grouping | null, param: string | null): SampleNode {
  let p = 0;
  if (op === 'topk' || op === 'bottomk' || op === 'approx_topk') {
    if (param === null) return invalid(`parameter required for operation ${op}`);
    const v = strconvAtoi(param);
    if (!v.ok) return invalid(`invalid parameter ${op}(${param},`);
    if (v.value <= 0) return invalid(`invalid parameter (must be greater than 0) ${op}(${param}`);
    if (op === 'approx_topk' && grouping !== null) return invalid(`grouping not allowed for ${op} aggregation`);
    p = v.value;
  } else if (param !== null) {
    return invalid(`unsupported parameter for operation ${op}(${param},`);
  }
  return { kind: 'vectorAggregation', op, param: p, grouping: grouping ?? { without: false, labels: [] }, inner: inner as SampleExpr };
}

const LOGICAL: ReadonlySet<BinaryOp> = new Set(['or', 'and', 'unless']);

/** Go's %T of a log expression in Loki's binary operation errors. */
function goTypeName(e: LogSelectorExpr): string {
  return e.stages.length === 0 ? '*syntax.MatchersExpr' : '*syntax.PipelineExpr';
}

/** Evaluate a binary operation between two literals (Loki folds them at parse time). */
export function foldLiterals(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return r === 0 ? NaN : l / r;
    case '%': return r === 0 ? NaN : l % r;
    case '^': return Math.pow(l, r);
    case '==': return l === r ? 1 : 0;
    case '!=': return l !== r ? 1 : 0;
    case '>': return l > r ? 1 : 0;
    case '>=': return l >= r ? 1 : 0;
    case '<': return l < r ? 1 : 0;
    case '<=': return l <= r ? 1 : 0;
    default: return NaN;
  }
}

/** Loki's mustNewBinOpExpr. */
export function newBinOp(op: BinaryOp, opts: BinOpOptions, lhs: ExprNode, rhs: ExprNode): SampleNode {
  if (lhs.kind === 'logSelector') return invalid(`unexpected type for left leg of binary operation (${op}): ${goTypeName(lhs)}`);
  if (rhs.kind === 'logSelector') return invalid(`unexpected type for right leg of binary operation (${op}): ${goTypeName(rhs)}`);
  // An invalid literal is still a literal to Loki: its error surfaces here.
  if (lhs.kind === 'invalid' && lhs.isLiteral) return invalid(lhs.error);
  if (rhs.kind === 'invalid' && rhs.isLiteral) return invalid(rhs.error);
  const lLit = lhs.kind === 'literal';
  const rLit = rhs.kind === 'literal';
  if (LOGICAL.has(op)) {
    if (lLit) return invalid(`unexpected literal for left leg of logical/set binary operation (${op}): ${formatGoFloatFixed6(lhs.value)}`);
    if (rLit) return invalid(`unexpected literal for right leg of logical/set binary operation (${op}): ${formatGoFloatFixed6(rhs.value)}`);
  }
  if (lLit && rLit) return { kind: 'literal', value: foldLiterals(op, lhs.value, rhs.value) };
  return { kind: 'binary', op, lhs: lhs as SampleExpr, rhs: rhs as SampleExpr, returnBool: opts.returnBool, matching: opts.matching };
}

/** Loki's mustNewLabelReplaceExpr: the regex is anchored as `^(?:…)$`. */
export function newLabelReplace(inner: SampleNode, dst: string, replacement: string, src: string, regex: string): SampleNode {
  const r = compileGoRegex(`^(?:${regex})$`, { dotNL: false, anchored: false });
  if (!r.ok) return invalid(`invalid regex in label_replace: ${r.error}`);
  return { kind: 'labelReplace', inner: inner as SampleExpr, dst, replacement, src, regex };
}

/** A finished parse tree: every node valid. */
export type ValidExpr = Expr;
