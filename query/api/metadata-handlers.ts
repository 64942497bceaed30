/**
 * The metadata endpoints Grafana's label browser, query builder and Logs Drilldown call: labels,
 * label values, series, index stats and volume, detected labels and fields, patterns, format_query,
 * drilldown-limits; plus the legacy `/api/prom/label…` shapes. Parameters and shapes are Loki's
 * (`L:pkg/loghttp/*`, `L:pkg/util/marshal/*`, `L:pkg/querier/queryrange/codec.go`).
 */
import { FjordError } from '../../schemas/index.js';
import { formatLabels, type Labels } from '../../schemas/labels/index.js';
import { formatPromDuration } from '../../schemas/go/index.js';
import { parseExpr, printExpr, streamSelectors } from '../logql/index.js';
import { refusePartialAnswer } from '../engine/query-backend.js';
import { abortable, json, optionalSelector, parseSelector, parseSelectorUnvalidated, type ApiRequest, type ApiResponse, type HandlerDeps } from './api-request.js';
import { detectFieldValues, detectFields, detectLabels } from './detected.js';
import {
  parseDetectedFieldsQuery, parseDetectedLabelsQuery, parseLabelQuery, parsePatternsQuery, parseRangeQuery, parseSeriesQuery, parseVolumeQuery,
} from './params.js';
import { applyTimeRangeLimits, smallestPositiveNonZero, validateMaxEntries, validateStreamMatchers } from './query-limits.js';
import { encodeIndexStats, encodeLabelsResponse, encodeLegacyLabelResponse, encodePatternsResponse, encodeSeriesResponse } from './responses.js';
import { aggregateVolumes, encodeVolumeResponse, volumeBuckets } from './volume.js';

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

async function labelNames(req: ApiRequest, deps: HandlerDeps): Promise<string[]> {
  const p = parseLabelQuery(req.form, req.nowNs);
  const matchers = optionalSelector(p.query);
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  if (range === null) return [];
  const names = await abortable(deps.backend.labelNames({ tenants: req.tenants, matchers, ...range }, req.signal), req.signal);
  return sortedUnique(names);
}

async function labelValues(req: ApiRequest, deps: HandlerDeps): Promise<string[]> {
  const p = parseLabelQuery(req.form, req.nowNs);
  const matchers = optionalSelector(p.query);
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  if (range === null) return [];
  const name = req.params.name ?? '';
  const values = await abortable(deps.backend.labelValues({ tenants: req.tenants, matchers, name, ...range }, req.signal), req.signal);
  return sortedUnique(values);
}

/** `/loki/api/v1/labels`. */
export async function handleLabels(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  return json(encodeLabelsResponse(await labelNames(req, deps)));
}

/** `/loki/api/v1/label/:name/values`. */
export async function handleLabelValues(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  return json(encodeLabelsResponse(await labelValues(req, deps)));
}

/** `/api/prom/label`. */
export async function handleLegacyLabels(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  return json(encodeLegacyLabelResponse(await labelNames(req, deps)));
}

/** `/api/prom/label/:name/values`. */
export async function handleLegacyLabelValues(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  return json(encodeLegacyLabelResponse(await labelValues(req, deps)));
}

/** `/loki/api/v1/series` and `/api/prom/series`: series of any `match[]` group, each once. */
export async function handleSeries(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  const p = parseSeriesQuery(req.form, req.nowNs);
  const matchers = p.groups.map((g) => {
    const ms = parseSelectorUnvalidated(g);
    if (ms.length === 0) throw new FjordError('bad_request', `0 matchers in group: ${g}`);
    return ms;
  });
  validateStreamMatchers(matchers, req.limits);
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  if (range === null) return json(encodeSeriesResponse([]));
  const series = await abortable(deps.backend.series({ tenants: req.tenants, matchers, ...range }, req.signal), req.signal);
  const unique = new Map<string, Labels>();
  for (const s of series) unique.set(formatLabels(s), s);
  return json(encodeSeriesResponse([...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s)));
}

/** `/loki/api/v1/index/stats`: parameters as a range query; `query` is a selector. */
export async function handleIndexStats(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  const p = parseRangeQuery(req.form, req.nowNs);
  const matchers = [parseSelector(p.query)];
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  if (range === null) return json(encodeIndexStats({ streams: 0, chunks: 0, entries: 0, bytes: 0 }));
  const stats = await abortable(deps.backend.indexStats({ tenants: req.tenants, matchers, ...range }, req.signal), req.signal);
  return json(encodeIndexStats(stats));
}

/** `/loki/api/v1/index/volume` (`range` false) and `/index/volume_range` (`range` true). */
export async function handleVolume(req: ApiRequest, deps: HandlerDeps, range: boolean): Promise<ApiResponse> {
  const p = parseVolumeQuery(req.form, req.nowNs, range);
  const matchers = p.query.replaceAll(' ', '') === '{}' ? [] : parseSelector(p.query);
  const spec = {
    matchers, targetLabels: p.targetLabels, aggregateBy: p.aggregateBy, limit: p.limit,
    maxSeries: smallestPositiveNonZero(req.limits.map((l) => l.volume_max_series)) || Number.MAX_SAFE_INTEGER,
  };
  const bounded = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  if (bounded === null) return json(encodeVolumeResponse([], p.aggregateBy));
  const buckets = volumeBuckets(bounded.startNs, bounded.endNs, p.stepNs);
  const out = await Promise.all(
    buckets.map(async (b) => {
      const res = await abortable(
        deps.backend.volume({ tenants: req.tenants, matchers: matchers.length === 0 ? [] : [matchers], startNs: b.startNs, endNs: b.endNs, stepNs: 0n }, req.signal),
        req.signal,
      );
      return { tsMs: Number(b.endNs / 1_000_000n), volumes: aggregateVolumes(res.flatMap((r) => r.streams), spec) };
    }),
  );
  return json(encodeVolumeResponse(out, p.aggregateBy));
}

/** `/loki/api/v1/detected_labels`: `{"detectedLabels": […]}`, or `{}` when there are none. */
export async function handleDetectedLabels(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  const p = parseDetectedLabelsQuery(req.form, req.nowNs);
  const matchers = optionalSelector(p.query);
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  if (range === null) return json('{}');
  const series = await abortable(deps.backend.series({ tenants: req.tenants, matchers, ...range }, req.signal), req.signal);
  const labels = detectLabels(series);
  return json(JSON.stringify(labels.length > 0 ? { detectedLabels: labels } : {}));
}

/** `/loki/api/v1/detected_fields` and `/detected_field/:name/values` (`values` true); a partial answer of its log query is a 503 (the response has no warnings). */
export async function handleDetectedFields(req: ApiRequest, deps: HandlerDeps, values: boolean): Promise<ApiResponse> {
  const p = parseDetectedFieldsQuery(req.form, req.nowNs);
  const expr = parseExpr(p.query);
  if (expr.kind !== 'logSelector') throw new FjordError('bad_request', 'only log selector is supported');
  validateMaxEntries(p.lineLimit, req.limits);
  validateStreamMatchers(streamSelectors(expr), req.limits);
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  const answer = range === null
    ? { streams: [], warnings: [] }
    : await abortable(
        deps.backend.logQuery({ tenants: req.tenants, query: p.query, expr, ...range, limit: p.lineLimit, direction: 'backward' }, req.signal),
        req.signal,
      );
  refusePartialAnswer(answer.warnings);
  const { streams } = answer;
  if (values) {
    const vals = detectFieldValues(streams, req.params.name ?? '', p.limit);
    return json(JSON.stringify(vals.length > 0 ? { values: vals, limit: p.limit } : {}));
  }
  const fields = detectFields(streams, p.limit).map((f) => ({
    label: f.label, type: f.type, cardinality: f.cardinality, parsers: f.parsers, ...(f.jsonPath ? { jsonPath: f.jsonPath } : {}),
  }));
  return json(JSON.stringify(fields.length > 0 ? { fields, limit: p.limit } : {}));
}

/**
 * `/loki/api/v1/patterns`: the selected streams' Drain patterns from the ingesters, in Loki's shape
 * (`L:pkg/util/marshal/marshal.go` WriteQueryPatternsResponseJSON): sample times in unix seconds.
 * Without pattern_ingester.enabled a 404, as Loki's querier without a pattern querier.
 */
export async function handlePatterns(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  const p = parsePatternsQuery(req.form, req.nowNs);
  const matchers = parseSelector(p.query);
  if (!deps.patternsEnabled) throw new FjordError('not_found', '');
  const range = applyTimeRangeLimits(p.startNs, p.endNs, req.nowNs, req.limits);
  const series = range === null
    ? []
    : await abortable(deps.backend.patterns({ tenants: req.tenants, matchers, ...range, stepNs: p.stepNs }, req.signal), req.signal);
  return json(encodePatternsResponse(series));
}

/** `/loki/api/v1/format_query` (`L:pkg/loki/format_query_handler.go`). */
export async function handleFormatQuery(req: ApiRequest): Promise<ApiResponse> {
  try {
    const expr = parseExpr(req.form.get('query') ?? '');
    return json(JSON.stringify({ status: 'success', data: printExpr(expr) }) + '\n');
  } catch (err) {
    if (!(err instanceof FjordError)) throw err;
    return json(JSON.stringify({ status: 'invalid-query', error: err.message }) + '\n', 400);
  }
}

/** Loki's default `tenant_limits_allow_publish` keys that Fjord has. */
const PUBLISHED_LIMITS = [
  'discover_log_levels', 'discover_service_name', 'max_entries_limit_per_query', 'max_line_size_truncate', 'max_query_length',
  'max_query_lookback', 'max_query_series', 'query_timeout', 'retention_period', 'volume_max_series',
] as const;
const DURATION_LIMITS = new Set(['max_query_length', 'max_query_lookback', 'query_timeout', 'retention_period']);

/** `GET /loki/api/v1/drilldown-limits` (`L:pkg/loki/config_handler.go` tenantLimitsHandler). */
export async function handleDrilldownLimits(req: ApiRequest, deps: HandlerDeps): Promise<ApiResponse> {
  const l = req.limits[0];
  if (l === undefined) throw new FjordError('no_org_id', 'no org id');
  const limits: Record<string, unknown> = {};
  for (const key of PUBLISHED_LIMITS) {
    const v = l[key];
    limits[key] = DURATION_LIMITS.has(key) ? formatPromDuration(BigInt(v as number) * 1_000_000n) : v;
  }
  limits.volume_enabled = true;
  limits.metric_aggregation_enabled = false;
  limits.pattern_persistence_enabled = false;
  return json(JSON.stringify({ limits, pattern_ingester_enabled: deps.patternsEnabled, version: deps.version }) + '\n');
}
