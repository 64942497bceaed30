/**
 * The query endpoints: `/loki/api/v1/query_range`, `/loki/api/v1/query` and the legacy
 * `/api/prom/query`, validated in Loki's order (parameters, LogQL, max entries, lookback and
 * length, stream matchers — `L:pkg/querier/queryrange/roundtrip.go`, `limits.go`,
 * `L:pkg/querier/http.go`) and answered in Loki's JSON.
 */
import { FjordError } from '../../schemas/index.js';
import { emptyStats, refusePartialAnswer, type QueryStats } from '../engine/query-backend.js';
import { parseExpr, printExpr, streamSelectors, type Expr, type MetricResult } from '../logql/index.js';
import { abortable, json, type ApiRequest, type ApiResponse, type HandlerDeps } from './api-request.js';
import { parseInstantQuery, parseRangeQuery } from './params.js';
import { applyTimeRangeLimits, validateMaxEntries, validateStreamMatchers } from './query-limits.js';
import { FLAG_CATEGORIZE_LABELS, encodeLegacyQueryResponse, encodeQueryResponse } from './responses.js';

/** Loki's logqlmodel.ErrUnsupportedSyntaxForInstantQuery. */
export const ERR_INSTANT_LOG_QUERY = 'log queries are not supported as an instant query type, please change your query to a range query type';

/** The legacy endpoints' refusal of metric queries (`L:pkg/loghttp/query.go`). */
export const ERR_LEGACY_METRIC = 'legacy endpoints only support streams result type';

function withExecTime(stats: QueryStats, startedMs: number, nowMs: number): QueryStats {
  return { ...stats, execTimeMs: Math.max(0, nowMs - startedMs) };
}

function emptyMetric(instant: boolean, tsMs: number, expr: Expr): MetricResult {
  if (!instant) return { resultType: 'matrix', result: [] };
  if (expr.kind === 'literal') return { resultType: 'scalar', result: { tsMs, value: expr.value } };
  return { resultType: 'vector', result: [] };
}

/** `GET|POST /loki/api/v1/query_range`. */
export async function handleRangeQuery(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  const started = Date.now();
  const p = parseRangeQuery(req.form, req.nowNs);
  const expr = parseExpr(p.query);
  if (expr.kind === 'logSelector') validateMaxEntries(p.limit, req.limits);
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  validateStreamMatchers(streamSelectors(expr), req.limits);
  if (expr.kind === 'logSelector') {
    const encoding = { categorizeLabels: req.encodingFlags.has(FLAG_CATEGORIZE_LABELS), direction: p.direction };
    if (range === null) return json(encodeQueryResponse({ kind: 'streams', streams: [], encoding }, emptyStats(), []));
    const res = await abortable(
      deps.backend.logQuery({ tenants: req.tenants, query: p.query, expr, startNs: range.startNs, endNs: range.endNs, limit: p.limit, direction: p.direction }, req.signal),
      req.signal,
    );
    return json(encodeQueryResponse({ kind: 'streams', streams: res.streams, encoding }, withExecTime(res.stats, started, Date.now()), res.warnings));
  }
  if (range === null) return json(encodeQueryResponse({ kind: 'metric', result: emptyMetric(false, 0, expr) }, emptyStats(), []));
  const res = await abortable(
    deps.backend.metricQuery({ tenants: req.tenants, query: p.query, expr, startNs: range.startNs, endNs: range.endNs, stepNs: p.stepNs, drilldown: req.drilldown }, req.signal),
    req.signal,
  );
  return json(encodeQueryResponse({ kind: 'metric', result: res.result }, withExecTime(res.stats, started, Date.now()), res.warnings));
}

/** `GET|POST /loki/api/v1/query`: metric queries only, evaluated at `time`. */
export async function handleInstantQuery(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  const started = Date.now();
  const p = parseInstantQuery(req.form, req.nowNs);
  const expr = parseExpr(p.query);
  if (expr.kind === 'logSelector') throw new FjordError('bad_request', ERR_INSTANT_LOG_QUERY);
  const range = applyTimeRangeLimits(p.timeNs, p.timeNs, req.nowNs, req.limits);
  validateStreamMatchers(streamSelectors(expr), req.limits);
  if (range === null) {
    const empty = emptyMetric(true, Number(p.timeNs / 1_000_000n), expr);
    return json(encodeQueryResponse({ kind: 'metric', result: deps.viaFrontend ? asFrontendWritesScalar(empty) : empty }, emptyStats(), []));
  }
  const res = await abortable(
    deps.backend.metricQuery({ tenants: req.tenants, query: p.query, expr, startNs: p.timeNs, endNs: p.timeNs, stepNs: 0n, drilldown: req.drilldown }, req.signal),
    req.signal,
  );
  const result = deps.viaFrontend ? asFrontendWritesScalar(res.result) : res.result;
  return json(encodeQueryResponse({ kind: 'metric', result }, withExecTime(res.stats, started, Date.now()), res.warnings));
}

/**
 * A scalar as Loki's query frontend writes it: `LokiPromResponse.marshalScalar` reads the sample's
 * millisecond timestamp back with `model.TimeFromUnix` (seconds), so `1 + 1` at 1700000000.123
 * answers `[1700000000123,"2"]`; a querier serving the API itself writes `[1700000000.123,"2"]`.
 */
export function asFrontendWritesScalar(r: MetricResult): MetricResult {
  return r.resultType === 'scalar' ? { resultType: 'scalar', result: { tsMs: r.result.tsMs * 1000, value: r.result.value } } : r;
}

/** Loki's parseRegexQuery: the legacy `regexp` parameter becomes a `|~` line filter. */
export function applyLegacyRegexp(query: string, regexp: string | undefined): string {
  if (regexp === undefined || regexp === '') return query;
  const expr = parseExpr(query);
  if (expr.kind !== 'logSelector') throw new FjordError('bad_request', 'only log selector is supported');
  return printExpr({ ...expr, stages: [...expr.stages, { kind: 'lineFilter', op: '|~', terms: [{ match: regexp, isIp: false }] }] });
}

/** `GET|POST /api/prom/query`: a log range query in the legacy response shape (which has no warnings: a partial answer is a 503). */
export async function handleLegacyQuery(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  const started = Date.now();
  const p = parseRangeQuery(req.form, req.nowNs);
  const query = applyLegacyRegexp(p.query, req.form.get('regexp'));
  const expr = parseExpr(query);
  if (expr.kind !== 'logSelector') throw new FjordError('bad_request', ERR_LEGACY_METRIC);
  validateMaxEntries(p.limit, req.limits);
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  validateStreamMatchers(streamSelectors(expr), req.limits);
  if (range === null) return json(encodeLegacyQueryResponse([], p.direction, emptyStats()));
  const res = await abortable(
    deps.backend.logQuery({ tenants: req.tenants, query, expr, startNs: range.startNs, endNs: range.endNs, limit: p.limit, direction: p.direction }, req.signal),
    req.signal,
  );
  refusePartialAnswer(res.warnings);
  return json(encodeLegacyQueryResponse(res.streams, p.direction, withExecTime(res.stats, started, Date.now())));
}
