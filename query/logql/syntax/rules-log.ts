/**
 * Grammar rules from `selector` to `keepLabelsExpr` (stream selectors and pipeline stages), in the
 * order of Loki's syntax.y. Pure data.
 */
import type {
  CompareOp, LabelExtraction, LabelFilter, LabelFormat, LineFilterOp, LineFilterTerm, Matcher, MatchType, NamedMatcher,
  Stage,
} from '../ast.js';
import { as, bytesOf, dur, rule, str, type RuleDef } from './grammar-rule.js';
import { literalValue, newLogfmt, newMatcher, newRegexpOrPattern, type SampleNode } from './nodes.js';

const POSITIVE: ReadonlySet<LineFilterOp> = new Set(['|=', '|~', '|>']);

/** Loki's newOrLineFilterExpr: `or` widens a positive filter, and splits a negative one into several. */
function orLineFilter(left: readonly Stage[], terms: readonly LineFilterTerm[]): Stage[] {
  const last = left[left.length - 1] as Stage & { kind: 'lineFilter' };
  if (POSITIVE.has(last.op)) return [...left.slice(0, -1), { ...last, terms: [...last.terms, ...terms] }];
  return [...left, ...terms.map((t): Stage => ({ kind: 'lineFilter', op: last.op, terms: [t] }))];
}

const matcherRule = (type: MatchType, tok: string): RuleDef =>
  rule('matcher', `IDENTIFIER ${tok} STRING`, (v) => newMatcher(type, str(v[0]), str(v[2])));

const OPS: readonly [string, CompareOp][] = [['GT', '>'], ['GTE', '>='], ['LT', '<'], ['LTE', '<='], ['NEQ', '!='], ['EQ', '=='], ['CMP_EQ', '==']];

const andFilter = (l: unknown, r: unknown): LabelFilter => ({ kind: 'and', left: as<LabelFilter>(l), right: as<LabelFilter>(r) });
const pipe = (v: readonly unknown[]): Stage[] => [as<Stage>(v[1])];

/** Rules `selector` … `keepLabelsExpr`. */
export const LOG_RULES: readonly RuleDef[] = [
  rule('selector', 'OPEN_BRACE matchers CLOSE_BRACE', (v) => v[1]),
  rule('selector', 'OPEN_BRACE matchers error', (v) => v[1]),
  rule('selector', 'OPEN_BRACE CLOSE_BRACE', () => []),
  rule('matchers', 'matcher', (v) => [v[0]]),
  rule('matchers', 'matchers COMMA matcher', (v) => [...as<Matcher[]>(v[0]), v[2]]),
  matcherRule('=', 'EQ'),
  matcherRule('!=', 'NEQ'),
  matcherRule('=~', 'RE'),
  matcherRule('!~', 'NRE'),

  rule('pipelineExpr', 'pipelineStage'),
  rule('pipelineExpr', 'pipelineExpr pipelineStage', (v) => [...as<Stage[]>(v[0]), ...as<Stage[]>(v[1])]),
  rule('pipelineStage', 'lineFilters'),
  rule('pipelineStage', 'PIPE logfmtParser', pipe),
  rule('pipelineStage', 'PIPE labelParser', pipe),
  rule('pipelineStage', 'PIPE jsonExpressionParser', pipe),
  rule('pipelineStage', 'PIPE logfmtExpressionParser', pipe),
  rule('pipelineStage', 'PIPE labelFilter', (v): Stage[] => [{ kind: 'labelFilter', filter: as<LabelFilter>(v[1]) }]),
  rule('pipelineStage', 'PIPE lineFormatExpr', pipe),
  rule('pipelineStage', 'PIPE decolorizeExpr', pipe),
  rule('pipelineStage', 'PIPE labelFormatExpr', pipe),
  rule('pipelineStage', 'PIPE dropLabelsExpr', pipe),
  rule('pipelineStage', 'PIPE keepLabelsExpr', pipe),

  rule('filter', 'PIPE_MATCH', () => '|~'),
  rule('filter', 'PIPE_EXACT', () => '|='),
  rule('filter', 'PIPE_PATTERN', () => '|>'),
  rule('filter', 'NRE', () => '!~'),
  rule('filter', 'NEQ', () => '!='),
  rule('filter', 'NPA', () => '!>'),
  rule('filterOp', 'IP', () => 'ip'),
  rule('orFilter', 'STRING', (v): LineFilterTerm[] => [{ match: str(v[0]), isIp: false }]),
  rule('orFilter', 'STRING OR orFilter', (v): LineFilterTerm[] => [{ match: str(v[0]), isIp: false }, ...as<LineFilterTerm[]>(v[2])]),
  rule('orFilter', 'filterOp OPEN_PARENTHESIS STRING CLOSE_PARENTHESIS', (v): LineFilterTerm[] => [{ match: str(v[2]), isIp: true }]),
  rule('lineFilter', 'filter STRING', (v): Stage[] => [{ kind: 'lineFilter', op: as<LineFilterOp>(v[0]), terms: [{ match: str(v[1]), isIp: false }] }]),
  rule('lineFilter', 'filter filterOp OPEN_PARENTHESIS STRING CLOSE_PARENTHESIS', (v): Stage[] => [
    { kind: 'lineFilter', op: as<LineFilterOp>(v[0]), terms: [{ match: str(v[3]), isIp: true }] },
  ]),
  rule('lineFilter', 'lineFilter OR orFilter', (v) => orLineFilter(as<Stage[]>(v[0]), as<LineFilterTerm[]>(v[2]))),
  rule('lineFilters', 'lineFilter'),
  rule('lineFilters', 'lineFilters lineFilter', (v) => [...as<Stage[]>(v[0]), ...as<Stage[]>(v[1])]),

  rule('parserFlags', 'FUNCTION_FLAG', (v) => [str(v[0])]),
  rule('parserFlags', 'parserFlags FUNCTION_FLAG', (v) => [...as<string[]>(v[0]), str(v[1])]),
  rule('logfmtParser', 'LOGFMT', () => newLogfmt([], [])),
  rule('logfmtParser', 'LOGFMT parserFlags', (v) => newLogfmt(as<string[]>(v[1]), [])),
  rule('labelParser', 'JSON', (): Stage => ({ kind: 'json', extractions: [] })),
  rule('labelParser', 'REGEXP STRING', (v) => newRegexpOrPattern('regexp', str(v[1]))),
  rule('labelParser', 'UNPACK', (): Stage => ({ kind: 'unpack' })),
  rule('labelParser', 'PATTERN STRING', (v) => newRegexpOrPattern('pattern', str(v[1]))),
  rule('jsonExpressionParser', 'JSON labelExtractionExpressionList', (v): Stage => ({ kind: 'json', extractions: as<LabelExtraction[]>(v[1]) })),
  rule('logfmtExpressionParser', 'LOGFMT parserFlags labelExtractionExpressionList', (v) => newLogfmt(as<string[]>(v[1]), as<LabelExtraction[]>(v[2]))),
  rule('logfmtExpressionParser', 'LOGFMT labelExtractionExpressionList', (v) => newLogfmt([], as<LabelExtraction[]>(v[1]))),
  rule('lineFormatExpr', 'LINE_FMT STRING', (v): Stage => ({ kind: 'lineFormat', template: str(v[1]) })),
  rule('decolorizeExpr', 'DECOLORIZE', (): Stage => ({ kind: 'decolorize' })),
  rule('labelFormat', 'IDENTIFIER EQ IDENTIFIER', (v): LabelFormat => ({ name: str(v[0]), value: str(v[2]), rename: true })),
  rule('labelFormat', 'IDENTIFIER EQ STRING', (v): LabelFormat => ({ name: str(v[0]), value: str(v[2]), rename: false })),
  rule('labelsFormat', 'labelFormat', (v) => [v[0]]),
  rule('labelsFormat', 'labelsFormat COMMA labelFormat', (v) => [...as<LabelFormat[]>(v[0]), v[2]]),
  rule('labelsFormat', 'labelsFormat COMMA error'),
  rule('labelFormatExpr', 'LABEL_FMT labelsFormat', (v): Stage => ({ kind: 'labelFormat', formats: as<LabelFormat[]>(v[1]) })),

  rule('labelFilter', 'matcher', (v): LabelFilter => ({ kind: 'string', matcher: as<Matcher>(v[0]) })),
  rule('labelFilter', 'ipLabelFilter'),
  rule('labelFilter', 'unitFilter'),
  rule('labelFilter', 'numberFilter'),
  rule('labelFilter', 'OPEN_PARENTHESIS labelFilter CLOSE_PARENTHESIS', (v) => v[1]),
  rule('labelFilter', 'labelFilter labelFilter', (v) => andFilter(v[0], v[1])),
  rule('labelFilter', 'labelFilter AND labelFilter', (v) => andFilter(v[0], v[2])),
  rule('labelFilter', 'labelFilter COMMA labelFilter', (v) => andFilter(v[0], v[2])),
  rule('labelFilter', 'labelFilter OR labelFilter', (v): LabelFilter => ({ kind: 'or', left: as<LabelFilter>(v[0]), right: as<LabelFilter>(v[2]) })),
  rule('labelExtractionExpression', 'IDENTIFIER EQ STRING', (v): LabelExtraction => ({ name: str(v[0]), expression: str(v[2]) })),
  rule('labelExtractionExpression', 'IDENTIFIER', (v): LabelExtraction => ({ name: str(v[0]), expression: str(v[0]) })),
  rule('labelExtractionExpressionList', 'labelExtractionExpression', (v) => [v[0]]),
  rule('labelExtractionExpressionList', 'labelExtractionExpressionList COMMA labelExtractionExpression', (v) => [...as<LabelExtraction[]>(v[0]), v[2]]),
  rule('ipLabelFilter', 'IDENTIFIER EQ IP OPEN_PARENTHESIS STRING CLOSE_PARENTHESIS', (v): LabelFilter => ({ kind: 'ip', name: str(v[0]), negate: false, pattern: str(v[4]) })),
  rule('ipLabelFilter', 'IDENTIFIER NEQ IP OPEN_PARENTHESIS STRING CLOSE_PARENTHESIS', (v): LabelFilter => ({ kind: 'ip', name: str(v[0]), negate: true, pattern: str(v[4]) })),
  rule('unitFilter', 'durationFilter'),
  rule('unitFilter', 'bytesFilter'),
  ...OPS.map(([tok, op]) => rule('durationFilter', `IDENTIFIER ${tok} DURATION`, (v): LabelFilter => ({ kind: 'duration', name: str(v[0]), op, valueNs: dur(v[2]) }))),
  ...OPS.map(([tok, op]) => rule('bytesFilter', `IDENTIFIER ${tok} BYTES`, (v): LabelFilter => ({ kind: 'bytes', name: str(v[0]), op, value: bytesOf(v[2]) }))),
  ...OPS.map(([tok, op]) =>
    rule('numberFilter', `IDENTIFIER ${tok} literalExpr`, (v): LabelFilter => ({ kind: 'number', name: str(v[0]), op, value: literalValue(as<SampleNode>(v[2])) }))),
  rule('namedMatcher', 'IDENTIFIER', (v): NamedMatcher => ({ name: str(v[0]), matcher: null })),
  rule('namedMatcher', 'matcher', (v): NamedMatcher => ({ name: '', matcher: as<Matcher>(v[0]) })),
  rule('namedMatchers', 'namedMatcher', (v) => [v[0]]),
  rule('namedMatchers', 'namedMatchers COMMA namedMatcher', (v) => [...as<NamedMatcher[]>(v[0]), v[2]]),
  rule('dropLabelsExpr', 'DROP namedMatchers', (v): Stage => ({ kind: 'drop', labels: as<NamedMatcher[]>(v[1]) })),
  rule('keepLabelsExpr', 'KEEP namedMatchers', (v): Stage => ({ kind: 'keep', labels: as<NamedMatcher[]>(v[1]) })),
];
