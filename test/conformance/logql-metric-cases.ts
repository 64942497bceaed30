/**
 * LogQL metric-query conformance cases over one small set of entries, with the results Loki's
 * evaluator gives (range windows (t − range, t], Loki's aggregators and binary operators). Values
 * were worked out from the cited Loki source or docs.
 */

/** Entries: stream selector text, timestamp in seconds, line. */
export type Entry = readonly [stream: string, tsSec: number, line: string];

/** Expected result: matrix as {labels: [[tSec, value]]}, vector as [labels, value][], `SCALAR:v`, or an error prefix `ERROR:…`. */
export type MetricWant = Readonly<Record<string, readonly (readonly [number, number])[]>> | readonly (readonly [string, number | 'NaN'])[] | string;

/** One metric case. */
export interface MetricEvalCase {
  readonly name: string;
  readonly source: string;
  readonly query: string;
  readonly startSec: number;
  readonly endSec: number;
  readonly stepSec: number;
  readonly entries: readonly Entry[];
  readonly want: MetricWant;
}

/** Entries shared by the metric cases. */
export const METRIC_ENTRIES: readonly Entry[] = [["{app=\"a\"}", 10, "level=info d=1s"], ["{app=\"a\"}", 45, "level=error d=2s"], ["{app=\"b\"}", 50, "level=info d=500ms"], ["{app=\"a\"}", 60, "level=error d=3s"], ["{app=\"b\"}", 61, "level=info d=4s"], ["{app=\"a\"}", 90, "level=info d=4s"], ["{app=\"a\"}", 119, "level=error d=5s"]];

/** The corpus. */
export const METRIC_EVAL_CASES: readonly MetricEvalCase[] = [
  { name: "count_over_time per stream", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) countOverTime", query: "count_over_time({app=~\".+\"}[1m])", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{app=\"a\"}": [[60, 3], [90, 3], [120, 2]], "{app=\"b\"}": [[60, 1], [90, 2], [120, 1]]} },
  { name: "window is left-open: sample at t-range excluded", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) load: sample.Timestamp <= start is skipped", query: "count_over_time({app=\"a\"}[50s])", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 2]] },
  { name: "window is right-closed: sample at t included", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) load: sample.Timestamp > end stops", query: "count_over_time({app=\"a\"}[1s])", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 1]] },
  { name: "rate is count per second of range", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) rateLogs", query: "rate({app=\"a\"}[1m])", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{app=\"a\"}": [[60, 0.05], [90, 0.05], [120, 0.03333333333333333]]} },
  { name: "bytes_over_time sums line bytes", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) sumOverTime over BytesExtractor", query: "bytes_over_time({app=\"b\"}[1m])", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{app=\"b\"}": [[60, 18], [90, 33], [120, 15]]} },
  { name: "bytes_rate", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) rateLogBytes", query: "bytes_rate({app=\"b\"}[1m])", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{app=\"b\"}": [[60, 0.3], [90, 0.55], [120, 0.25]]} },
  { name: "sum by level over logfmt (grouping pushed down)", source: "Loki pkg/logql/evaluator.go + syntax/extractor.go canInjectVectorGrouping", query: "sum by (level) (count_over_time({app=~\".+\"} | logfmt [1m]))", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{level=\"error\"}": [[60, 2], [90, 2], [120, 1]], "{level=\"info\"}": [[60, 2], [90, 3], [120, 2]]} },
  { name: "sum without grouping", source: "Loki pkg/logql/evaluator.go VectorAggEvaluator sum", query: "sum(count_over_time({app=~\".+\"}[1m]))", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{}": [[60, 4], [90, 5], [120, 3]]} },
  { name: "count of series", source: "Loki pkg/logql/evaluator.go VectorAggEvaluator count", query: "count(count_over_time({app=~\".+\"}[1m]))", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{}": [[60, 2], [90, 2], [120, 2]]} },
  { name: "max over series", source: "Loki pkg/logql/evaluator.go VectorAggEvaluator max", query: "max(count_over_time({app=~\".+\"}[1m]))", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{}": [[60, 3], [90, 3], [120, 2]]} },
  { name: "avg over series", source: "Loki pkg/logql/evaluator.go VectorAggEvaluator avg", query: "avg(count_over_time({app=~\".+\"}[1m]))", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{}": [[60, 2], [90, 2.5], [120, 1.5]]} },
  { name: "topk keeps the series labels", source: "Loki pkg/logql/evaluator.go VectorAggEvaluator topk", query: "topk(1, count_over_time({app=~\".+\"}[1m]))", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 3]] },
  { name: "bottomk", source: "Loki pkg/logql/evaluator.go VectorAggEvaluator bottomk", query: "bottomk(1, count_over_time({app=~\".+\"}[1m]))", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"b\"}", 1]] },
  { name: "avg_over_time unwrap duration by app", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) avgOverTime; metrics_extraction.go convertDuration", query: "avg_over_time({app=~\".+\"} | logfmt | unwrap duration(d) [1m]) by (app)", startSec: 60, endSec: 120, stepSec: 30, entries: METRIC_ENTRIES, want: {"{app=\"a\"}": [[60, 2], [90, 3], [120, 4.5]], "{app=\"b\"}": [[60, 0.5], [90, 2.25], [120, 4]]} },
  { name: "sum_over_time unwrap drops the unwrapped label", source: "Loki pkg/logql/log/metrics_extraction.go LabelExtractorWithStages: without the unwrap label", query: "sum_over_time({app=\"b\"} | logfmt | unwrap duration(d) [1m])", startSec: 120, endSec: 120, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"b\", level=\"info\"}", 4]] },
  { name: "max_over_time unwrap", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) maxOverTime", query: "max_over_time({app=\"a\"} | logfmt | unwrap duration(d) [1m]) by (app)", startSec: 120, endSec: 120, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 5]] },
  { name: "min_over_time unwrap", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) minOverTime", query: "min_over_time({app=\"a\"} | logfmt | unwrap duration(d) [1m]) by (app)", startSec: 120, endSec: 120, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 4]] },
  { name: "first_over_time", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) first", query: "first_over_time({app=\"a\"} | logfmt | unwrap duration(d) [1m]) by (app)", startSec: 120, endSec: 120, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 4]] },
  { name: "last_over_time", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) last", query: "last_over_time({app=\"a\"} | logfmt | unwrap duration(d) [1m]) by (app)", startSec: 120, endSec: 120, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 5]] },
  { name: "quantile_over_time", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) quantileOverTime (linear interpolation)", query: "quantile_over_time(0.5, {app=\"a\"} | logfmt | unwrap duration(d) [1m]) by (app)", startSec: 120, endSec: 120, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 4.5]] },
  { name: "stddev_over_time", source: "Loki pkg/logql/range_vector.go (window (t-range, t], aggregators) stddevOverTime (population)", query: "stddev_over_time({app=\"a\"} | logfmt | unwrap duration(d) [1m]) by (app)", startSec: 120, endSec: 120, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 0.5]] },
  { name: "offset shifts the window back", source: "Loki docs: docs/sources/query/metric_queries.md offset; range_vector.go start-offset", query: "count_over_time({app=\"a\"}[30s] offset 30s)", startSec: 120, endSec: 120, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 1]] },
  { name: "unwrap conversion error fails the query", source: "Loki pkg/logql/evaluator.go RangeVectorEvaluator: __error__ in a sample \u2192 PipelineError", query: "sum_over_time({app=\"a\"} | logfmt | unwrap level [1m])", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: "ERROR:pipeline error" },
  { name: "__error__ filter after unwrap avoids the failure", source: "Loki docs: metric_queries.md \"Unwrapped range aggregations\" | __error__=\"\"", query: "sum_over_time({app=\"a\"} | logfmt | unwrap d | __error__=\"\" [1m])", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [] },
  { name: "vector-scalar arithmetic", source: "Loki pkg/logql/evaluator.go LiteralStepEvaluator", query: "count_over_time({app=\"a\"}[1m]) * 2", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 6]] },
  { name: "comparison filters", source: "Loki pkg/logql/evaluator.go LiteralStepEvaluator filter=!returnBool", query: "count_over_time({app=~\".+\"}[1m]) > 2", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 3]] },
  { name: "comparison with bool", source: "Loki pkg/logql/evaluator.go LiteralStepEvaluator returnBool", query: "count_over_time({app=~\".+\"}[1m]) > bool 2", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 1], ["{app=\"b\"}", 0]] },
  { name: "vector-vector division by matching labels", source: "Loki pkg/logql/evaluator.go vectorBinop one-to-one", query: "count_over_time({app=~\".+\"} |= \"error\" [1m]) / count_over_time({app=~\".+\"}[1m])", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 0.6666666666666666]] },
  { name: "division by zero gives NaN", source: "Loki pkg/logql/syntax/ast.go MergeBinOp OpTypeDiv", query: "count_over_time({app=\"a\"}[1m]) / 0", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", "NaN"]] },
  { name: "or fills missing series", source: "Loki pkg/logql/evaluator.go vectorOr", query: "count_over_time({app=\"a\"} |= \"error\" [1m]) or count_over_time({app=~\".+\"}[1m])", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\"}", 2], ["{app=\"b\"}", 1]] },
  { name: "unless removes matching series", source: "Loki pkg/logql/evaluator.go vectorUnless", query: "count_over_time({app=~\".+\"}[1m]) unless count_over_time({app=\"a\"}[1m])", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"b\"}", 1]] },
  { name: "vector() is a constant vector", source: "Loki pkg/logql/evaluator.go evalVector", query: "vector(7)", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{}", 7]] },
  { name: "literal instant query is a scalar", source: "Loki pkg/logql/engine.go evalLiteral (instant \u2192 Scalar)", query: "2 * 3", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: "SCALAR:6" },
  { name: "absent_over_time reports missing data", source: "Loki pkg/logql/evaluator.go AbsentRangeVectorEvaluator + absentLabels", query: "absent_over_time({app=\"c\"}[1m])", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"c\"}", 1]] },
  { name: "label_replace", source: "Prometheus label_replace semantics used by Loki", query: "label_replace(count_over_time({app=\"a\"}[1m]), \"svc\", \"s-$1\", \"app\", \"(.*)\")", startSec: 60, endSec: 60, stepSec: 0, entries: METRIC_ENTRIES, want: [["{app=\"a\", svc=\"s-a\"}", 3]] },
];
