/**
 * Grammar rules from `root` to `labelReplaceExpr`, in the order of Loki's syntax.y (the order
 * decides reduce/reduce conflicts exactly as goyacc does). Pure data.
 */
import type { Grouping, LabelFilter, LogRange, LogSelectorExpr, Matcher, RangeOp, Stage, Unwrap, UnwrapConversion, VectorOp } from '../ast.js';
import { as, rule, str, dur, type RuleDef } from './grammar-rule.js';
import {
  newLabelReplace, newLogSelector, newRangeAggregation, newVectorAggregation, type SampleNode,
} from './nodes.js';

type Sel = readonly Matcher[];
type Stages = readonly Stage[];

function range(sel: Sel, stages: Stages | null, rangeV: unknown, unwrap: unknown, offset: unknown): LogRange {
  return {
    selector: newLogSelector(sel, stages ?? []),
    rangeNs: dur(rangeV),
    offsetNs: offset === null ? 0n : as<bigint>(offset),
    unwrap: unwrap === null ? null : as<Unwrap>(unwrap),
  };
}

const S = (v: unknown): Sel => as<Sel>(v);
const P = (v: unknown): Stages => as<Stages>(v);

/** Rules `root` … `labelReplaceExpr`. */
export const METRIC_HEAD_RULES: readonly RuleDef[] = [
  rule('root', 'expr'),
  rule('expr', 'logExpr'),
  rule('expr', 'metricExpr'),
  rule('logExpr', 'selector', (v) => newLogSelector(S(v[0]), [])),
  rule('logExpr', 'selector pipelineExpr', (v) => newLogSelector(S(v[0]), P(v[1]))),
  rule('logExpr', 'OPEN_PARENTHESIS logExpr CLOSE_PARENTHESIS', (v) => as<LogSelectorExpr>(v[1])),
  rule('metricExpr', 'rangeAggregationExpr'),
  rule('metricExpr', 'vectorAggregationExpr'),
  rule('metricExpr', 'binOpExpr'),
  rule('metricExpr', 'literalExpr'),
  rule('metricExpr', 'labelReplaceExpr'),
  rule('metricExpr', 'vectorExpr'),
  rule('metricExpr', 'OPEN_PARENTHESIS metricExpr CLOSE_PARENTHESIS', (v) => v[1]),

  rule('logRangeExpr', 'selector RANGE', (v) => range(S(v[0]), null, v[1], null, null)),
  rule('logRangeExpr', 'selector RANGE offsetExpr', (v) => range(S(v[0]), null, v[1], null, v[2])),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector CLOSE_PARENTHESIS RANGE', (v) => range(S(v[1]), null, v[3], null, null)),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector CLOSE_PARENTHESIS RANGE offsetExpr', (v) => range(S(v[1]), null, v[3], null, v[4])),
  rule('logRangeExpr', 'selector RANGE unwrapExpr', (v) => range(S(v[0]), null, v[1], v[2], null)),
  rule('logRangeExpr', 'selector RANGE offsetExpr unwrapExpr', (v) => range(S(v[0]), null, v[1], v[3], v[2])),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector CLOSE_PARENTHESIS RANGE unwrapExpr', (v) => range(S(v[1]), null, v[3], v[4], null)),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector CLOSE_PARENTHESIS RANGE offsetExpr unwrapExpr', (v) => range(S(v[1]), null, v[3], v[5], v[4])),
  rule('logRangeExpr', 'selector unwrapExpr RANGE', (v) => range(S(v[0]), null, v[2], v[1], null)),
  rule('logRangeExpr', 'selector unwrapExpr RANGE offsetExpr', (v) => range(S(v[0]), null, v[2], v[1], v[3])),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector unwrapExpr CLOSE_PARENTHESIS RANGE', (v) => range(S(v[1]), null, v[4], v[2], null)),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector unwrapExpr CLOSE_PARENTHESIS RANGE offsetExpr', (v) => range(S(v[1]), null, v[4], v[2], v[5])),
  rule('logRangeExpr', 'selector pipelineExpr RANGE', (v) => range(S(v[0]), P(v[1]), v[2], null, null)),
  rule('logRangeExpr', 'selector pipelineExpr RANGE offsetExpr', (v) => range(S(v[0]), P(v[1]), v[2], null, v[3])),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector pipelineExpr CLOSE_PARENTHESIS RANGE', (v) => range(S(v[1]), P(v[2]), v[4], null, null)),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector pipelineExpr CLOSE_PARENTHESIS RANGE offsetExpr', (v) => range(S(v[1]), P(v[2]), v[4], null, v[5])),
  rule('logRangeExpr', 'selector pipelineExpr unwrapExpr RANGE', (v) => range(S(v[0]), P(v[1]), v[3], v[2], null)),
  rule('logRangeExpr', 'selector pipelineExpr unwrapExpr RANGE offsetExpr', (v) => range(S(v[0]), P(v[1]), v[3], v[2], v[4])),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector pipelineExpr unwrapExpr CLOSE_PARENTHESIS RANGE', (v) => range(S(v[1]), P(v[2]), v[5], v[3], null)),
  rule('logRangeExpr', 'OPEN_PARENTHESIS selector pipelineExpr unwrapExpr CLOSE_PARENTHESIS RANGE offsetExpr', (v) => range(S(v[1]), P(v[2]), v[5], v[3], v[6])),
  rule('logRangeExpr', 'selector RANGE pipelineExpr', (v) => range(S(v[0]), P(v[2]), v[1], null, null)),
  rule('logRangeExpr', 'selector RANGE offsetExpr pipelineExpr', (v) => range(S(v[0]), P(v[3]), v[1], null, v[2])),
  rule('logRangeExpr', 'selector RANGE pipelineExpr unwrapExpr', (v) => range(S(v[0]), P(v[2]), v[1], v[3], null)),
  rule('logRangeExpr', 'selector RANGE offsetExpr pipelineExpr unwrapExpr', (v) => range(S(v[0]), P(v[3]), v[1], v[4], v[2])),
  rule('logRangeExpr', 'OPEN_PARENTHESIS logRangeExpr CLOSE_PARENTHESIS', (v) => v[1]),
  rule('logRangeExpr', 'logRangeExpr error'),

  rule('unwrapExpr', 'PIPE UNWRAP IDENTIFIER', (v): Unwrap => ({ label: str(v[2]), conversion: '', postFilters: [] })),
  rule('unwrapExpr', 'PIPE UNWRAP convOp OPEN_PARENTHESIS IDENTIFIER CLOSE_PARENTHESIS', (v): Unwrap => ({
    label: str(v[4]),
    conversion: as<UnwrapConversion>(v[2]),
    postFilters: [],
  })),
  rule('unwrapExpr', 'unwrapExpr PIPE labelFilter', (v): Unwrap => {
    const u = as<Unwrap>(v[0]);
    return { ...u, postFilters: [...u.postFilters, as<LabelFilter>(v[2])] };
  }),
  rule('convOp', 'BYTES_CONV', () => 'bytes'),
  rule('convOp', 'DURATION_CONV', () => 'duration'),
  rule('convOp', 'DURATION_SECONDS_CONV', () => 'duration_seconds'),

  rule('rangeAggregationExpr', 'rangeOp OPEN_PARENTHESIS logRangeExpr CLOSE_PARENTHESIS', (v) =>
    newRangeAggregation(as<LogRange>(v[2]), as<RangeOp>(v[0]), null, null)),
  rule('rangeAggregationExpr', 'rangeOp OPEN_PARENTHESIS NUMBER COMMA logRangeExpr CLOSE_PARENTHESIS', (v) =>
    newRangeAggregation(as<LogRange>(v[4]), as<RangeOp>(v[0]), null, str(v[2]))),
  rule('rangeAggregationExpr', 'rangeOp OPEN_PARENTHESIS logRangeExpr CLOSE_PARENTHESIS grouping', (v) =>
    newRangeAggregation(as<LogRange>(v[2]), as<RangeOp>(v[0]), as<Grouping>(v[4]), null)),
  rule('rangeAggregationExpr', 'rangeOp OPEN_PARENTHESIS NUMBER COMMA logRangeExpr CLOSE_PARENTHESIS grouping', (v) =>
    newRangeAggregation(as<LogRange>(v[4]), as<RangeOp>(v[0]), as<Grouping>(v[6]), str(v[2]))),

  rule('vectorAggregationExpr', 'vectorOp OPEN_PARENTHESIS metricExpr CLOSE_PARENTHESIS', (v) =>
    newVectorAggregation(as<SampleNode>(v[2]), as<VectorOp>(v[0]), null, null)),
  rule('vectorAggregationExpr', 'vectorOp grouping OPEN_PARENTHESIS metricExpr CLOSE_PARENTHESIS', (v) =>
    newVectorAggregation(as<SampleNode>(v[3]), as<VectorOp>(v[0]), as<Grouping>(v[1]), null)),
  rule('vectorAggregationExpr', 'vectorOp OPEN_PARENTHESIS metricExpr CLOSE_PARENTHESIS grouping', (v) =>
    newVectorAggregation(as<SampleNode>(v[2]), as<VectorOp>(v[0]), as<Grouping>(v[4]), null)),
  rule('vectorAggregationExpr', 'vectorOp OPEN_PARENTHESIS NUMBER COMMA metricExpr CLOSE_PARENTHESIS', (v) =>
    newVectorAggregation(as<SampleNode>(v[4]), as<VectorOp>(v[0]), null, str(v[2]))),
  rule('vectorAggregationExpr', 'vectorOp OPEN_PARENTHESIS NUMBER COMMA metricExpr CLOSE_PARENTHESIS grouping', (v) =>
    newVectorAggregation(as<SampleNode>(v[4]), as<VectorOp>(v[0]), as<Grouping>(v[6]), str(v[2]))),
  rule('vectorAggregationExpr', 'vectorOp grouping OPEN_PARENTHESIS NUMBER COMMA metricExpr CLOSE_PARENTHESIS', (v) =>
    newVectorAggregation(as<SampleNode>(v[5]), as<VectorOp>(v[0]), as<Grouping>(v[1]), str(v[3]))),

  rule('labelReplaceExpr', 'LABEL_REPLACE OPEN_PARENTHESIS metricExpr COMMA STRING COMMA STRING COMMA STRING COMMA STRING CLOSE_PARENTHESIS', (v) =>
    newLabelReplace(as<SampleNode>(v[2]), str(v[4]), str(v[6]), str(v[8]), str(v[10]))),
];
