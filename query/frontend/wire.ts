/**
 * The JSON form of pieces and results on the frontend ↔ querier protocol: bigint nanoseconds as
 * decimal strings, label sets as `[name, value]` pairs, sample values as numbers or, when not
 * finite, the strings "NaN", "+Inf", "-Inf". Queries travel as text and are parsed again on the
 * querier; matchers as (name, type, value) and compiled again. A metric piece for one shard carries
 * `"shard": "<index>_of_<count>"` (FORMATS.md §9), and its result echoes it. Log and metric results
 * carry their warnings (a log result from a querier that sends none has none). Decoding checks shapes
 * and throws FjordError('bad_request', 'malformed …'). Pure.
 */
import { FjordError, assertNever } from '../../schemas/index.js';
import { formatShard, parseShard, type Label, type Labels, type Shard } from '../../schemas/labels/index.js';
import { emptyStats, type QueryStats, type ResultEntry, type ResultStream, type SelectorRequest } from '../engine/query-backend.js';
import { compileMatcher, parseExpr, type CompiledMatcher, type MatchType, type MetricResult } from '../logql/index.js';
import type { Piece, PieceResult } from './piece.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function malformed(what: string): FjordError {
  return new FjordError('bad_request', `malformed ${what}`);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw malformed(what);
  return v as Record<string, unknown>;
}

function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw malformed(what);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw malformed(what);
  return v;
}

function num(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  throw malformed(what);
}

function big(v: unknown, what: string): bigint {
  const s = str(v, what);
  if (!/^-?\d+$/.test(s)) throw malformed(what);
  return BigInt(s);
}

function encNum(v: number): Json {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
}

function encLabels(l: Labels): Json {
  return l.map((x) => [x.name, x.value]);
}

function decLabels(v: unknown): Labels {
  return arr(v, 'labels').map((p): Label => {
    const pair = arr(p, 'label');
    return { name: str(pair[0], 'label name'), value: str(pair[1], 'label value') };
  });
}

function encMatchers(groups: readonly (readonly CompiledMatcher[])[]): Json {
  return groups.map((g) => g.map((m) => [m.name, m.type, m.value]));
}

const MATCH_TYPES: readonly MatchType[] = ['=', '!=', '=~', '!~'];

function decMatchers(v: unknown): CompiledMatcher[][] {
  return arr(v, 'matchers').map((g) =>
    arr(g, 'matcher group').map((m) => {
      const t = arr(m, 'matcher');
      const type = str(t[1], 'matcher type') as MatchType;
      if (!MATCH_TYPES.includes(type)) throw malformed('matcher type');
      return compileMatcher({ name: str(t[0], 'matcher name'), type, value: str(t[2], 'matcher value') });
    }),
  );
}

function tenantsOf(v: unknown): string[] {
  return arr(v, 'tenants').map((t) => str(t, 'tenant'));
}

function encSelector(r: SelectorRequest): { [k: string]: Json } {
  return { tenants: [...r.tenants], matchers: encMatchers(r.matchers), startNs: r.startNs.toString(), endNs: r.endNs.toString() };
}

function decSelector(o: Record<string, unknown>): SelectorRequest {
  return { tenants: tenantsOf(o.tenants), matchers: decMatchers(o.matchers), startNs: big(o.startNs, 'startNs'), endNs: big(o.endNs, 'endNs') };
}

/** The JSON form of a piece. */
export function encodePiece(p: Piece): Json {
  switch (p.kind) {
    case 'log': {
      const r = p.req;
      return { kind: 'log', tenants: [...r.tenants], query: r.query, startNs: r.startNs.toString(), endNs: r.endNs.toString(), limit: r.limit, direction: r.direction };
    }
    case 'metric': {
      const r = p.req;
      const out: { [k: string]: Json } = { kind: 'metric', tenants: [...r.tenants], query: r.query, startNs: r.startNs.toString(), endNs: r.endNs.toString(), stepNs: r.stepNs.toString() };
      if (r.shard !== undefined) out.shard = formatShard(r.shard);
      if (r.drilldown === true) out.drilldown = true;
      return out;
    }
    case 'series':
    case 'labelNames':
    case 'indexStats':
      return { kind: p.kind, ...encSelector(p.req) };
    case 'labelValues': return { kind: p.kind, ...encSelector(p.req), name: p.req.name };
    case 'volume': return { kind: p.kind, ...encSelector(p.req), stepNs: p.req.stepNs.toString() };
    case 'patterns': {
      const r = p.req;
      return { kind: p.kind, ...encSelector({ tenants: r.tenants, matchers: [r.matchers], startNs: r.startNs, endNs: r.endNs }), stepNs: r.stepNs.toString() };
    }
    default: return assertNever(p);
  }
}

/** A piece from its JSON form; queries are parsed and matchers compiled again. */
export function decodePiece(v: unknown): Piece {
  const o = obj(v, 'piece');
  const kind = str(o.kind, 'piece kind');
  switch (kind) {
    case 'log': {
      const query = str(o.query, 'query');
      const expr = parseExpr(query);
      if (expr.kind !== 'logSelector') throw malformed('log piece');
      const direction = str(o.direction, 'direction');
      if (direction !== 'forward' && direction !== 'backward') throw malformed('direction');
      return { kind, req: { tenants: tenantsOf(o.tenants), query, expr, startNs: big(o.startNs, 'startNs'), endNs: big(o.endNs, 'endNs'), limit: num(o.limit, 'limit'), direction } };
    }
    case 'metric': {
      const query = str(o.query, 'query');
      const expr = parseExpr(query);
      if (expr.kind === 'logSelector') throw malformed('metric piece');
      const shard = o.shard === undefined ? {} : { shard: parseShard(str(o.shard, 'shard')) };
      const drilldown = o.drilldown === true ? { drilldown: true } : {};
      return { kind, req: { tenants: tenantsOf(o.tenants), query, expr, startNs: big(o.startNs, 'startNs'), endNs: big(o.endNs, 'endNs'), stepNs: big(o.stepNs, 'stepNs'), ...shard, ...drilldown } };
    }
    case 'series':
    case 'labelNames':
    case 'indexStats':
      return { kind, req: decSelector(o) };
    case 'labelValues': return { kind, req: { ...decSelector(o), name: str(o.name, 'name') } };
    case 'volume': return { kind, req: { ...decSelector(o), stepNs: big(o.stepNs, 'stepNs') } };
    case 'patterns': {
      const sel = decSelector(o);
      if (sel.matchers.length !== 1) throw malformed('patterns piece');
      return { kind, req: { tenants: sel.tenants, matchers: sel.matchers[0] as CompiledMatcher[], startNs: sel.startNs, endNs: sel.endNs, stepNs: big(o.stepNs, 'stepNs') } };
    }
    default: throw malformed(`piece kind ${kind}`);
  }
}

function encStreams(streams: readonly ResultStream[]): Json {
  return streams.map((s) => ({
    labels: encLabels(s.labels),
    entries: s.entries.map((e) => [e.tsNs.toString(), e.line, encLabels(e.structuredMetadata), encLabels(e.parsed)]),
  }));
}

function decStreams(v: unknown): ResultStream[] {
  return arr(v, 'streams').map((s) => {
    const o = obj(s, 'stream');
    const entries = arr(o.entries, 'entries').map((e): ResultEntry => {
      const t = arr(e, 'entry');
      return { tsNs: big(t[0], 'timestamp'), line: str(t[1], 'line'), structuredMetadata: decLabels(t[2]), parsed: decLabels(t[3]) };
    });
    return { labels: decLabels(o.labels), entries };
  });
}

function encMetric(r: MetricResult): Json {
  switch (r.resultType) {
    case 'matrix': return { resultType: 'matrix', result: r.result.map((s) => ({ metric: encLabels(s.metric), values: s.values.map(([t, v]) => [t, encNum(v)]) })) };
    case 'vector': return { resultType: 'vector', result: r.result.map((s) => ({ metric: encLabels(s.metric), tsMs: s.tsMs, value: encNum(s.value) })) };
    case 'scalar': return { resultType: 'scalar', result: { tsMs: r.result.tsMs, value: encNum(r.result.value) } };
  }
}

function decMetric(v: unknown): MetricResult {
  const o = obj(v, 'metric result');
  switch (o.resultType) {
    case 'matrix':
      return {
        resultType: 'matrix',
        result: arr(o.result, 'matrix').map((s) => {
          const so = obj(s, 'series');
          return { metric: decLabels(so.metric), values: arr(so.values, 'values').map((p) => { const a = arr(p, 'sample'); return [num(a[0], 'time'), num(a[1], 'value')] as const; }) };
        }),
      };
    case 'vector':
      return { resultType: 'vector', result: arr(o.result, 'vector').map((s) => { const so = obj(s, 'sample'); return { metric: decLabels(so.metric), tsMs: num(so.tsMs, 'time'), value: num(so.value, 'value') }; }) };
    case 'scalar': {
      const so = obj(o.result, 'scalar');
      return { resultType: 'scalar', result: { tsMs: num(so.tsMs, 'time'), value: num(so.value, 'value') } };
    }
    default: throw malformed('result type');
  }
}

/** An echoed shard; absent (a querier that does not know shards) or null means every stream. */
function decShard(v: unknown): Shard | null {
  return v === undefined || v === null ? null : parseShard(str(v, 'shard'));
}

function decWarnings(v: unknown): string[] {
  return arr(v, 'warnings').map((w) => str(w, 'warning'));
}

function decStats(v: unknown): QueryStats {
  const o = obj(v, 'stats');
  const out = emptyStats();
  for (const k of Object.keys(out) as Array<keyof QueryStats>) if (o[k] !== undefined) out[k] = num(o[k], `stats.${k}`);
  return out;
}

/** The JSON form of a piece's result. */
export function encodeResult(r: PieceResult): Json {
  switch (r.kind) {
    case 'log': return { kind: r.kind, streams: encStreams(r.streams), stats: { ...r.stats }, warnings: [...r.warnings] };
    case 'metric': return { kind: r.kind, result: encMetric(r.result), stats: { ...r.stats }, warnings: [...r.warnings], shard: r.shard === null ? null : formatShard(r.shard) };
    case 'series': return { kind: r.kind, series: r.series.map(encLabels) };
    case 'labelNames':
    case 'labelValues':
      return { kind: r.kind, values: [...r.values] };
    case 'indexStats': return { kind: r.kind, stats: { ...r.stats } };
    case 'volume':
      return { kind: r.kind, buckets: r.buckets.map((b) => ({ tsNs: b.tsNs.toString(), streams: b.streams.map((s) => ({ labels: encLabels(s.labels), bytes: s.bytes, entries: s.entries })) })) };
    case 'patterns': return { kind: r.kind, series: r.series.map((s) => ({ pattern: s.pattern, level: s.level, samples: s.samples.map(([t, v]) => [t, v]) })) };
    default: return assertNever(r);
  }
}

/** A piece's result from its JSON form. */
export function decodeResult(v: unknown): PieceResult {
  const o = obj(v, 'result');
  const kind = str(o.kind, 'result kind');
  switch (kind) {
    case 'log': return { kind, streams: decStreams(o.streams), stats: decStats(o.stats), warnings: o.warnings === undefined ? [] : decWarnings(o.warnings) };
    case 'metric': return { kind, result: decMetric(o.result), stats: decStats(o.stats), warnings: decWarnings(o.warnings), shard: decShard(o.shard) };
    case 'series': return { kind, series: arr(o.series, 'series').map(decLabels) };
    case 'labelNames':
    case 'labelValues':
      return { kind, values: arr(o.values, 'values').map((x) => str(x, 'value')) };
    case 'indexStats': {
      const s = obj(o.stats, 'index stats');
      return { kind, stats: { streams: num(s.streams, 'streams'), chunks: num(s.chunks, 'chunks'), entries: num(s.entries, 'entries'), bytes: num(s.bytes, 'bytes') } };
    }
    case 'volume':
      return {
        kind,
        buckets: arr(o.buckets, 'buckets').map((b) => {
          const bo = obj(b, 'bucket');
          return {
            tsNs: big(bo.tsNs, 'tsNs'),
            streams: arr(bo.streams, 'volumes').map((s) => { const so = obj(s, 'volume'); return { labels: decLabels(so.labels), bytes: num(so.bytes, 'bytes'), entries: num(so.entries, 'entries') }; }),
          };
        }),
      };
    case 'patterns':
      return {
        kind,
        series: arr(o.series, 'patterns').map((x) => {
          const so = obj(x, 'pattern series');
          const samples = arr(so.samples, 'samples').map((p) => { const a = arr(p, 'sample'); return [num(a[0], 'time'), num(a[1], 'count')] as const; });
          return { pattern: str(so.pattern, 'pattern'), level: str(so.level, 'level'), samples };
        }),
      };
    default: throw malformed(`result kind ${kind}`);
  }
}
