/**
 * LogQL for Fjord: parser and printer, log pipeline, metric evaluator. Everything here is pure:
 * no I/O, no clock; time is an argument (bigint nanoseconds).
 */
export type * from './ast.js';
export { isLogExpr } from './ast.js';
export { parseExpr, parseLogSelectorWithoutValidation, parseErrorText } from './syntax/parser.js';
export { printExpr, printStage, printLabelFilter, printMatcher } from './print.js';
export { compileMatcher, type CompiledMatcher } from './matchers.js';
export { isLogQuery, lookbackNs, streamSelectors } from './query-info.js';
export { compileLogSelector, hasFilter, INVALID_DELETE_QUERY } from './log-selector.js';
export {
  compileLogPipeline,
  type LogEntryResult,
  type LogPipeline,
  type LogPipelineOptions,
  type StreamLogPipeline,
} from './log-pipeline.js';
export {
  createMetricEvaluator,
  type MatrixSeries,
  type MetricEvaluator,
  type MetricInput,
  type MetricQueryParams,
  type MetricResult,
  type VectorSample,
} from './metric/metric-evaluator.js';
export { ERROR_DETAILS_LABEL, ERROR_LABEL, type LabelCategory } from './stages/labels-builder.js';
export { compileTemplate, LINE_FORMAT_FUNCTIONS, TemplateParseError, type CompiledTemplate, type TemplateFunctionSet } from './template/template-exec.js';
export { TEMPLATE_FUNCTIONS, type TemplateFunction } from './template/template-functions.js';
export { TemplateExecError, goInt, numberOf, printValue, type TValue } from './template/template-values.js';
export { goSprintf } from './template/go-printf.js';
export { goReplaceAll } from './template/template-coercion.js';
export { compileGoRegex } from './regex/re2-compile.js';
