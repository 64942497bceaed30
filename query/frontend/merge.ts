/**
 * Merging the results of a query's pieces (Loki's `Codec.MergeResponse`,
 * `mergeOrderedNonOverlappingStreams`, Prometheus' matrix merge): log pieces are concatenated per
 * stream in direction order, identical entries (same stream, timestamp, line and structured
 * metadata) kept once, and the first `limit` entries of the whole kept; matrix pieces are
 * concatenated per series, sorted by time, one sample per timestamp; stats are summed. Pure.
 */
import { formatLabels, type Labels } from '../../schemas/labels/index.js';
import { addStats, emptyStats, type Direction, type QueryStats, type ResultEntry, type ResultStream } from '../engine/query-backend.js';
import type { MatrixSeries, MetricResult } from '../logql/index.js';

function entryKey(e: ResultEntry): string {
  let sm = '';
  for (const l of e.structuredMetadata) sm += `${l.name}\u0000${l.value}\u0000`;
  return `${e.tsNs}\u0001${e.line}\u0001${sm}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The first `limit` entries of `streams` in direction order (timestamp, then stream label text),
 * as streams ordered by label text. `limit` 0 keeps everything.
 */
export function limitEntries(streams: readonly ResultStream[], limit: number, direction: Direction): ResultStream[] {
  const keyed = streams.map((s) => ({ key: formatLabels(s.labels), s })).sort((a, b) => compareKeys(a.key, b.key));
  const total = keyed.reduce((n, k) => n + k.s.entries.length, 0);
  if (limit <= 0 || total <= limit) return keyed.map((k) => k.s).filter((s) => s.entries.length > 0);
  const forward = direction === 'forward';
  const pos = keyed.map(() => 0);
  const taken = keyed.map(() => [] as ResultEntry[]);
  for (let n = 0; n < limit; n++) {
    let best = -1;
    for (let i = 0; i < keyed.length; i++) {
      const e = (keyed[i] as (typeof keyed)[number]).s.entries[pos[i] as number];
      if (e === undefined) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const b = (keyed[best] as (typeof keyed)[number]).s.entries[pos[best] as number] as ResultEntry;
      if (e.tsNs !== b.tsNs && (e.tsNs < b.tsNs) === forward) best = i;
    }
    if (best < 0) break;
    const e = (keyed[best] as (typeof keyed)[number]).s.entries[pos[best] as number] as ResultEntry;
    (taken[best] as ResultEntry[]).push(e);
    pos[best] = (pos[best] as number) + 1;
  }
  const out: ResultStream[] = [];
  keyed.forEach((k, i) => {
    const entries = taken[i] as ResultEntry[];
    if (entries.length > 0) out.push({ labels: k.s.labels, entries });
  });
  return out;
}

/**
 * Merge log results of time-disjoint pieces given in direction order: per stream, entries
 * concatenated in piece order, duplicates dropped; then the first `limit` entries overall.
 * Returns the streams and how many duplicates were dropped.
 */
export function mergeLogPieces(pieces: readonly (readonly ResultStream[])[], limit: number, direction: Direction): { streams: ResultStream[]; duplicates: number } {
  const byStream = new Map<string, { labels: Labels; entries: ResultEntry[]; seen: Set<string> }>();
  let duplicates = 0;
  for (const piece of pieces) {
    for (const s of piece) {
      const key = formatLabels(s.labels);
      let g = byStream.get(key);
      if (g === undefined) byStream.set(key, (g = { labels: s.labels, entries: [], seen: new Set() }));
      for (const e of s.entries) {
        const k = entryKey(e);
        if (g.seen.has(k)) {
          duplicates++;
          continue;
        }
        g.seen.add(k);
        g.entries.push(e);
      }
    }
  }
  const streams = [...byStream.values()].map((g) => ({ labels: g.labels, entries: g.entries }));
  return { streams: limitEntries(streams, limit, direction), duplicates };
}

/** Merge the matrices of a metric query's pieces: per series, samples sorted by time, one per timestamp. */
export function mergeMatrixPieces(pieces: readonly MetricResult[]): MetricResult {
  const series = new Map<string, { metric: Labels; values: Array<readonly [number, number]>; seen: Set<number> }>();
  for (const p of pieces) {
    if (p.resultType !== 'matrix') continue;
    for (const s of p.result) {
      const key = formatLabels(s.metric);
      let g = series.get(key);
      if (g === undefined) series.set(key, (g = { metric: s.metric, values: [], seen: new Set() }));
      for (const v of s.values) {
        if (g.seen.has(v[0])) continue;
        g.seen.add(v[0]);
        g.values.push(v);
      }
    }
  }
  const result: MatrixSeries[] = [...series.entries()]
    .sort(([a], [b]) => compareKeys(a, b))
    .map(([, g]) => ({ metric: g.metric, values: g.values.sort((a, b) => a[0] - b[0]) }));
  return { resultType: 'matrix', result };
}


/** Sum the stats of pieces into a fresh object. */
export function sumStats(all: readonly QueryStats[]): QueryStats {
  const out = emptyStats();
  for (const s of all) addStats(out, s);
  return out;
}

/** Union of string lists, sorted. */
export function unionSorted(lists: readonly (readonly string[])[]): string[] {
  const set = new Set<string>();
  for (const l of lists) for (const v of l) set.add(v);
  return [...set].sort();
}

/** Union of label sets, each once, ordered by label text. */
export function unionSeries(lists: readonly (readonly Labels[])[]): Labels[] {
  const m = new Map<string, Labels>();
  for (const l of lists) for (const s of l) m.set(formatLabels(s), s);
  return [...m.entries()].sort(([a], [b]) => compareKeys(a, b)).map(([, s]) => s);
}
