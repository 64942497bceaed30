/**
 * Grammar rules from `binOpExpr` to `grouping` (binary operators and their modifiers, literals,
 * operator names, groupings), in the order of Loki's syntax.y. Pure data.
 */
import type { BinaryOp, Grouping, RangeOp, VectorMatching, VectorOp } from '../ast.js';
import { as, dur, rule, str, type RuleDef } from './grammar-rule.js';
import { newBinOp, newLiteral, newVector, type BinOpOptions, type ExprNode } from './nodes.js';

const BIN_OPS: readonly [string, BinaryOp][] = [
  ['OR', 'or'], ['AND', 'and'], ['UNLESS', 'unless'], ['ADD', '+'], ['SUB', '-'], ['MUL', '*'], ['DIV', '/'], ['MOD', '%'],
  ['POW', '^'], ['CMP_EQ', '=='], ['NEQ', '!='], ['GT', '>'], ['GTE', '>='], ['LT', '<'], ['LTE', '<='],
];

const ONE_TO_ONE: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [] };

function withMatching(v: unknown, patch: Partial<VectorMatching>): BinOpOptions {
  const o = as<BinOpOptions>(v);
  return { returnBool: o.returnBool, matching: { ...o.matching, ...patch } };
}

const VECTOR_OPS: readonly [string, VectorOp][] = [
  ['SUM', 'sum'], ['AVG', 'avg'], ['COUNT', 'count'], ['MAX', 'max'], ['MIN', 'min'], ['STDDEV', 'stddev'], ['STDVAR', 'stdvar'],
  ['BOTTOMK', 'bottomk'], ['TOPK', 'topk'], ['SORT', 'sort'], ['SORT_DESC', 'sort_desc'], ['APPROX_TOPK', 'approx_topk'],
];

const RANGE_OPS: readonly [string, RangeOp][] = [
  ['COUNT_OVER_TIME', 'count_over_time'], ['RATE', 'rate'], ['RATE_COUNTER', 'rate_counter'], ['BYTES_OVER_TIME', 'bytes_over_time'],
  ['BYTES_RATE', 'bytes_rate'], ['AVG_OVER_TIME', 'avg_over_time'], ['SUM_OVER_TIME', 'sum_over_time'],
  ['MIN_OVER_TIME', 'min_over_time'], ['MAX_OVER_TIME', 'max_over_time'], ['STDVAR_OVER_TIME', 'stdvar_over_time'],
  ['STDDEV_OVER_TIME', 'stddev_over_time'], ['QUANTILE_OVER_TIME', 'quantile_over_time'], ['FIRST_OVER_TIME', 'first_over_time'],
  ['LAST_OVER_TIME', 'last_over_time'], ['ABSENT_OVER_TIME', 'absent_over_time'],
];

/** Rules `binOpExpr` … `grouping`. */
export const METRIC_TAIL_RULES: readonly RuleDef[] = [
  ...BIN_OPS.map(([tok, op]) =>
    rule('binOpExpr', `expr ${tok} binOpModifier expr`, (v) => newBinOp(op, as<BinOpOptions>(v[2]), as<ExprNode>(v[0]), as<ExprNode>(v[3])))),
  rule('boolModifier', '', (): BinOpOptions => ({ returnBool: false, matching: ONE_TO_ONE })),
  rule('boolModifier', 'BOOL', (): BinOpOptions => ({ returnBool: true, matching: ONE_TO_ONE })),
  rule('onOrIgnoringModifier', 'boolModifier ON OPEN_PARENTHESIS labels CLOSE_PARENTHESIS', (v) => withMatching(v[0], { on: true, labels: as<string[]>(v[3]) })),
  rule('onOrIgnoringModifier', 'boolModifier ON OPEN_PARENTHESIS CLOSE_PARENTHESIS', (v) => withMatching(v[0], { on: true })),
  rule('onOrIgnoringModifier', 'boolModifier IGNORING OPEN_PARENTHESIS labels CLOSE_PARENTHESIS', (v) => withMatching(v[0], { labels: as<string[]>(v[3]) })),
  rule('onOrIgnoringModifier', 'boolModifier IGNORING OPEN_PARENTHESIS CLOSE_PARENTHESIS', (v) => v[0]),
  rule('binOpModifier', 'boolModifier'),
  rule('binOpModifier', 'onOrIgnoringModifier'),
  rule('binOpModifier', 'onOrIgnoringModifier GROUP_LEFT', (v) => withMatching(v[0], { card: 'many-to-one' })),
  rule('binOpModifier', 'onOrIgnoringModifier GROUP_LEFT OPEN_PARENTHESIS CLOSE_PARENTHESIS', (v) => withMatching(v[0], { card: 'many-to-one' })),
  rule('binOpModifier', 'onOrIgnoringModifier GROUP_LEFT OPEN_PARENTHESIS labels CLOSE_PARENTHESIS', (v) =>
    withMatching(v[0], { card: 'many-to-one', include: as<string[]>(v[3]) })),
  rule('binOpModifier', 'onOrIgnoringModifier GROUP_RIGHT', (v) => withMatching(v[0], { card: 'one-to-many' })),
  rule('binOpModifier', 'onOrIgnoringModifier GROUP_RIGHT OPEN_PARENTHESIS CLOSE_PARENTHESIS', (v) => withMatching(v[0], { card: 'one-to-many' })),
  rule('binOpModifier', 'onOrIgnoringModifier GROUP_RIGHT OPEN_PARENTHESIS labels CLOSE_PARENTHESIS', (v) =>
    withMatching(v[0], { card: 'one-to-many', include: as<string[]>(v[3]) })),
  rule('literalExpr', 'NUMBER', (v) => newLiteral(str(v[0]), false)),
  rule('literalExpr', 'ADD NUMBER', (v) => newLiteral(str(v[1]), false)),
  rule('literalExpr', 'SUB NUMBER', (v) => newLiteral(str(v[1]), true)),
  rule('vectorExpr', 'vector OPEN_PARENTHESIS NUMBER CLOSE_PARENTHESIS', (v) => newVector(str(v[2]))),
  rule('vector', 'VECTOR', () => 'vector'),
  ...VECTOR_OPS.map(([tok, op]) => rule('vectorOp', tok, () => op)),
  ...RANGE_OPS.map(([tok, op]) => rule('rangeOp', tok, () => op)),
  rule('offsetExpr', 'OFFSET DURATION', (v) => dur(v[1])),
  rule('labels', 'IDENTIFIER', (v) => [str(v[0])]),
  rule('labels', 'labels COMMA IDENTIFIER', (v) => [...as<string[]>(v[0]), str(v[2])]),
  rule('grouping', 'BY OPEN_PARENTHESIS labels CLOSE_PARENTHESIS', (v): Grouping => ({ without: false, labels: as<string[]>(v[2]) })),
  rule('grouping', 'WITHOUT OPEN_PARENTHESIS labels CLOSE_PARENTHESIS', (v): Grouping => ({ without: true, labels: as<string[]>(v[2]) })),
  rule('grouping', 'BY OPEN_PARENTHESIS CLOSE_PARENTHESIS', (): Grouping => ({ without: false, labels: [] })),
  rule('grouping', 'WITHOUT OPEN_PARENTHESIS CLOSE_PARENTHESIS', (): Grouping => ({ without: true, labels: [] })),
];
