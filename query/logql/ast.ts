/**
 * The LogQL syntax tree: plain readonly data, one discriminated union per category, shaped after
 * Loki's pkg/logql/syntax AST so that printing it gives Loki's canonical query text. Durations
 * are bigint nanoseconds. Pure types.
 */

/** A stream or label matcher operator. */
export type MatchType = '=' | '!=' | '=~' | '!~';

/** A label matcher `name op "value"`; regexes are fully anchored when evaluated, as in Loki. */
export interface Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
}

/** A line filter operator. */
export type LineFilterOp = '|=' | '!=' | '|~' | '!~' | '|>' | '!>';

/** One alternative of a line filter: a literal/regex/pattern, or `ip("…")`. */
export interface LineFilterTerm {
  readonly match: string;
  readonly isIp: boolean;
}

/** A comparison used by numeric, duration and bytes label filters (Loki prints `=` as `==`). */
export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

/** A label filter after `|`. */
export type LabelFilter =
  | { readonly kind: 'and' | 'or'; readonly left: LabelFilter; readonly right: LabelFilter }
  | { readonly kind: 'string'; readonly matcher: Matcher }
  | { readonly kind: 'number'; readonly name: string; readonly op: CompareOp; readonly value: number }
  | { readonly kind: 'duration'; readonly name: string; readonly op: CompareOp; readonly valueNs: bigint }
  | { readonly kind: 'bytes'; readonly name: string; readonly op: CompareOp; readonly value: number }
  | { readonly kind: 'ip'; readonly name: string; readonly negate: boolean; readonly pattern: string };

/** `name="expression"` of `json`/`logfmt` extraction parameters. */
export interface LabelExtraction {
  readonly name: string;
  readonly expression: string;
}

/** `name="template"` or a rename `dst=src` of `label_format`. */
export interface LabelFormat {
  readonly name: string;
  readonly value: string;
  readonly rename: boolean;
}

/** A `drop`/`keep` argument: a bare label name, or a matcher on a label. */
export interface NamedMatcher {
  readonly name: string;
  readonly matcher: Matcher | null;
}

/** One stage of a log pipeline. */
export type Stage =
  | { readonly kind: 'lineFilter'; readonly op: LineFilterOp; readonly terms: readonly LineFilterTerm[] }
  | { readonly kind: 'json'; readonly extractions: readonly LabelExtraction[] }
  | {
      readonly kind: 'logfmt';
      readonly strict: boolean;
      readonly keepEmpty: boolean;
      readonly extractions: readonly LabelExtraction[];
    }
  | { readonly kind: 'regexp'; readonly pattern: string }
  | { readonly kind: 'pattern'; readonly pattern: string }
  | { readonly kind: 'unpack' }
  | { readonly kind: 'labelFilter'; readonly filter: LabelFilter }
  | { readonly kind: 'lineFormat'; readonly template: string }
  | { readonly kind: 'labelFormat'; readonly formats: readonly LabelFormat[] }
  | { readonly kind: 'decolorize' }
  | { readonly kind: 'drop'; readonly labels: readonly NamedMatcher[] }
  | { readonly kind: 'keep'; readonly labels: readonly NamedMatcher[] };

/** A stream selector with its (possibly empty) pipeline: `{app="x"} |= "y" | json`. */
export interface LogSelectorExpr {
  readonly kind: 'logSelector';
  readonly matchers: readonly Matcher[];
  readonly stages: readonly Stage[];
}

/** `unwrap` conversion. */
export type UnwrapConversion = '' | 'bytes' | 'duration' | 'duration_seconds';

/** `| unwrap [conv(]label[)]` followed by label filters. */
export interface Unwrap {
  readonly label: string;
  readonly conversion: UnwrapConversion;
  readonly postFilters: readonly LabelFilter[];
}

/** A log range `selector [range] offset d` with an optional unwrap. */
export interface LogRange {
  readonly selector: LogSelectorExpr;
  readonly rangeNs: bigint;
  readonly offsetNs: bigint;
  readonly unwrap: Unwrap | null;
}

/** Range aggregation functions. */
export type RangeOp =
  | 'count_over_time' | 'rate' | 'rate_counter' | 'bytes_over_time' | 'bytes_rate' | 'avg_over_time'
  | 'sum_over_time' | 'min_over_time' | 'max_over_time' | 'stdvar_over_time' | 'stddev_over_time'
  | 'quantile_over_time' | 'first_over_time' | 'last_over_time' | 'absent_over_time';

/** Vector aggregation functions. */
export type VectorOp =
  | 'sum' | 'avg' | 'min' | 'max' | 'count' | 'stddev' | 'stdvar' | 'topk' | 'bottomk' | 'sort' | 'sort_desc'
  | 'approx_topk';

/** Binary operators. */
export type BinaryOp =
  | 'or' | 'and' | 'unless' | '+' | '-' | '*' | '/' | '%' | '^' | '==' | '!=' | '>' | '>=' | '<' | '<=';

/** `by (…)` / `without (…)`. */
export interface Grouping {
  readonly without: boolean;
  readonly labels: readonly string[];
}

/** Vector matching of a binary operation; empty arrays stand for Loki's nil lists. */
export interface VectorMatching {
  readonly card: 'one-to-one' | 'many-to-one' | 'one-to-many';
  readonly on: boolean;
  readonly labels: readonly string[];
  readonly include: readonly string[];
}

/** A metric (sample) expression. */
export type SampleExpr =
  | {
      readonly kind: 'rangeAggregation';
      readonly op: RangeOp;
      readonly range: LogRange;
      readonly param: number | null;
      readonly grouping: Grouping | null;
    }
  | {
      readonly kind: 'vectorAggregation';
      readonly op: VectorOp;
      readonly param: number;
      readonly grouping: Grouping;
      readonly inner: SampleExpr;
    }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly lhs: SampleExpr;
      readonly rhs: SampleExpr;
      readonly returnBool: boolean;
      readonly matching: VectorMatching;
    }
  | { readonly kind: 'literal'; readonly value: number }
  | { readonly kind: 'vector'; readonly value: number }
  | {
      readonly kind: 'labelReplace';
      readonly inner: SampleExpr;
      readonly dst: string;
      readonly replacement: string;
      readonly src: string;
      readonly regex: string;
    };

/** Any LogQL query. */
export type Expr = LogSelectorExpr | SampleExpr;

/** True when the query returns log lines rather than samples. */
export function isLogExpr(e: Expr): e is LogSelectorExpr {
  return e.kind === 'logSelector';
}
