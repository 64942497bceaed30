/**
 * Loki's JSON response bodies (`L:pkg/util/marshal/query.go`, `marshal.go`, `legacy/marshal.go`,
 * `L:pkg/querier/queryrange/prometheus.go`): query results (streams, matrix, vector, scalar) with
 * the `stats` block, labels, series, index stats, tail frames and the legacy shapes. Timestamps of
 * samples are seconds with up to millisecond fractions; sample values are Go's
 * FormatFloat(v, 'f', -1) strings ("NaN", "+Inf"). Pure.
 */
import { formatLabels, labelsToObject, type Label, type Labels } from '../../schemas/labels/index.js';
import type { Direction, IndexStats, QueryStats, ResultStream, TailFrame } from '../engine/query-backend.js';
import { formatGoFloatF } from '../../schemas/go/index.js';
import type { MetricResult } from '../logql/index.js';
import { statsJson } from './stats-json.js';
import type { PatternResult } from '../engine/pattern-merge.js';

/** Loki's response encoding flag for categorized labels (`X-Loki-Response-Encoding-Flags`). */
export const FLAG_CATEGORIZE_LABELS = 'categorize-labels';

/** How stream results are encoded. */
export interface StreamEncoding {
  /** `X-Loki-Response-Encoding-Flags: categorize-labels` was sent. */
  readonly categorizeLabels: boolean;
  /** Order of entries within a stream. */
  readonly direction: Direction;
}

/** The encoding flags of a request's `X-Loki-Response-Encoding-Flags` header (comma-separated). */
export function parseEncodingFlags(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const f of (header ?? '').split(',')) if (f.trim() !== '') out.add(f.trim());
  return out;
}

/** Go's json HTML escaping of `<`, `>`, `&`, U+2028 and U+2029, as jsoniter's WriteStringWithHTMLEscaped. */
function htmlEscapeJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Prometheus' model.Time.String(): seconds, with the millisecond fraction when there is one. */
export function sampleTime(tsMs: number): number {
  return tsMs / 1000;
}

/** Prometheus' model.SampleValue.String(). */
export function sampleValue(v: number): string {
  return formatGoFloatF(v);
}

function mergeLabels(...sets: Labels[]): Label[] {
  const m = new Map<string, string>();
  for (const set of sets) for (const l of set) m.set(l.name, l.value);
  return [...m].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

type EntryTuple = [string, string] | [string, string, Record<string, Record<string, string>>];

interface EncodedStream {
  readonly key: string;
  readonly labels: Labels;
  readonly entries: Array<{ tsNs: bigint; tuple: EntryTuple }>;
}

/**
 * Streams as Loki encodes them: with categorize-labels, by stream labels with a third element
 * `{structuredMetadata?, parsed?}` per entry; without it, structured metadata and parsed labels
 * folded into the stream labels and the entries regrouped by the full label set. Streams are
 * ordered by their label text; entries keep the query direction.
 */
export function encodeStreams(streams: readonly ResultStream[], enc: StreamEncoding): Array<{ stream: Record<string, string>; values: EntryTuple[] }> {
  const groups = new Map<string, EncodedStream>();
  const groupFor = (labels: Labels): EncodedStream => {
    const key = formatLabels(labels);
    let g = groups.get(key);
    if (g === undefined) {
      g = { key, labels, entries: [] };
      groups.set(key, g);
    }
    return g;
  };
  for (const s of streams) {
    if (enc.categorizeLabels) {
      const g = groupFor(s.labels);
      for (const e of s.entries) {
        const extra: Record<string, Record<string, string>> = {};
        if (e.structuredMetadata.length > 0) extra.structuredMetadata = labelsToObject(e.structuredMetadata);
        if (e.parsed.length > 0) extra.parsed = labelsToObject(e.parsed);
        g.entries.push({ tsNs: e.tsNs, tuple: [e.tsNs.toString(), e.line, extra] });
      }
    } else {
      for (const e of s.entries) {
        const labels = e.structuredMetadata.length === 0 && e.parsed.length === 0 ? s.labels : mergeLabels(s.labels, e.structuredMetadata, e.parsed);
        groupFor(labels).entries.push({ tsNs: e.tsNs, tuple: [e.tsNs.toString(), e.line] });
      }
    }
  }
  const forward = enc.direction === 'forward';
  const out = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out.map((g) => {
    const entries = [...g.entries].sort((x, y) => (x.tsNs === y.tsNs ? 0 : (x.tsNs < y.tsNs) === forward ? -1 : 1));
    return { stream: labelsToObject(g.labels), values: entries.map((e) => e.tuple) };
  });
}

/** The `result` of a metric query result. */
export function encodeMetricResult(r: MetricResult): unknown {
  switch (r.resultType) {
    case 'matrix':
      return r.result.map((s) => ({ metric: labelsToObject(s.metric), values: s.values.map(([t, v]) => [sampleTime(t), sampleValue(v)]) }));
    case 'vector':
      return r.result.map((s) => ({ metric: labelsToObject(s.metric), value: [sampleTime(s.tsMs), sampleValue(s.value)] }));
    case 'scalar':
      return [sampleTime(r.result.tsMs), sampleValue(r.result.value)];
  }
}

/** A query result body: `{status, warnings?, data: {resultType, encodingFlags?, result, stats}}`. */
export type QueryResultBody =
  | { readonly kind: 'streams'; readonly streams: readonly ResultStream[]; readonly encoding: StreamEncoding }
  | { readonly kind: 'metric'; readonly result: MetricResult };

/** Encode a query result as Loki's v1 JSON. */
export function encodeQueryResponse(body: QueryResultBody, stats: QueryStats, warnings: readonly string[]): string {
  const data: Record<string, unknown> = {};
  if (body.kind === 'streams') {
    data.resultType = 'streams';
    if (body.encoding.categorizeLabels) data.encodingFlags = [FLAG_CATEGORIZE_LABELS];
    data.result = encodeStreams(body.streams, body.encoding);
  } else {
    data.resultType = body.result.resultType;
    data.result = encodeMetricResult(body.result);
  }
  data.stats = statsJson(stats);
  const out: Record<string, unknown> = { status: 'success' };
  if (warnings.length > 0) out.warnings = warnings;
  out.data = data;
  const json = JSON.stringify(out);
  return body.kind === 'streams' ? htmlEscapeJson(json) : json;
}

/** `/loki/api/v1/labels` and `/label/<name>/values`: `data` is omitted when empty, as Loki's omitempty. */
export function encodeLabelsResponse(values: readonly string[]): string {
  return JSON.stringify(values.length > 0 ? { status: 'success', data: values } : { status: 'success' });
}

/** `/loki/api/v1/series`: one object of labels per series. */
export function encodeSeriesResponse(series: readonly Labels[]): string {
  return JSON.stringify({ status: 'success', data: series.map(labelsToObject) });
}

/** `/loki/api/v1/index/stats`: the bare object, in Loki's key order. */
export function encodeIndexStats(s: IndexStats): string {
  return JSON.stringify({ streams: s.streams, chunks: s.chunks, bytes: s.bytes, entries: s.entries });
}

/** A v1 tail frame (`EncodeTailResult`): `dropped_entries` only when some were dropped. */
export function encodeTailFrame(frame: TailFrame, enc: StreamEncoding): string {
  const out: Record<string, unknown> = { streams: encodeStreams(frame.streams, enc) };
  if (frame.dropped.length > 0) {
    out.dropped_entries = frame.dropped.map((d) => ({ timestamp: d.tsNs.toString(), labels: labelsToObject(d.labels) }));
  }
  if (enc.categorizeLabels) out.encodingFlags = [FLAG_CATEGORIZE_LABELS];
  return htmlEscapeJson(JSON.stringify(out));
}

/** Go's time.Time JSON (RFC3339Nano in UTC, trailing zeros of the fraction trimmed). */
export function rfc3339Nano(tsNs: bigint): string {
  const sec = tsNs / 1_000_000_000n - (tsNs % 1_000_000_000n < 0n ? 1n : 0n);
  const frac = tsNs - sec * 1_000_000_000n;
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  const fracText = frac === 0n ? '' : '.' + frac.toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${fracText}Z`;
}

function legacyStreams(streams: readonly ResultStream[], direction: Direction): Array<{ labels: string; entries: Array<Record<string, string>> }> {
  return encodeStreams(streams, { categorizeLabels: false, direction }).map((s) => ({
    labels: formatLabels(Object.entries(s.stream).map(([name, value]) => ({ name, value }))),
    entries: s.values.map(([ts, line]) => ({ ts: rfc3339Nano(BigInt(ts)), line })),
  }));
}

/** The legacy `/api/prom/query` body: `{streams: [{labels, entries: [{ts, line}]}], stats}`. */
export function encodeLegacyQueryResponse(streams: readonly ResultStream[], direction: Direction, stats: QueryStats): string {
  return htmlEscapeJson(JSON.stringify({ streams: legacyStreams(streams, direction), stats: statsJson(stats) }));
}

/** The legacy `/api/prom/label…` body: `{values: […]}` (omitted when empty). */
export function encodeLegacyLabelResponse(values: readonly string[]): string {
  return JSON.stringify(values.length > 0 ? { values } : {});
}

/** A legacy `/api/prom/tail` frame: `{streams, dropped_entries}` with Go's untagged field names. */
export function encodeLegacyTailFrame(frame: TailFrame): string {
  const dropped = frame.dropped.length > 0 ? frame.dropped.map((d) => ({ Timestamp: rfc3339Nano(d.tsNs), Labels: formatLabels(d.labels) })) : null;
  return htmlEscapeJson(JSON.stringify({ streams: legacyStreams(frame.streams, 'forward'), dropped_entries: dropped }));
}

/** Loki's WriteStringWithHTMLEscaped: `<`, `>` and `&` as \u escapes. */
function htmlEscapedJson(s: string): string {
  return JSON.stringify(s).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/** `/loki/api/v1/patterns`'s answer: `{"status":"success","data":[{"pattern","level","samples":[[sec,count]]}]}`. */
export function encodePatternsResponse(series: readonly PatternResult[]): string {
  const data = series.map((s) => `{"pattern":${htmlEscapedJson(s.pattern)},"level":${JSON.stringify(s.level)},"samples":[${s.samples.map(([t, v]) => `[${Math.floor(t / 1000)},${v}]`).join(',')}]}`);
  return `{"status":"success","data":[${data.join(',')}]}\n`;
}
