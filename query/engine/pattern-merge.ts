/**
 * Merging pattern series, as Loki's pattern querier does (`L:pkg/pattern/iter/merge.go`,
 * `L:pkg/pattern/ingester_querier.go` prunePatterns): series of the same pattern and detected level,
 * from any stream, ingester or split piece, are one series whose counts are summed per sample
 * timestamp; a querier's answer keeps only patterns with at least 30 lines in its range, the 300
 * largest, largest first. Pure.
 */

/** One sample: a bucket's start (ms since the epoch) and the lines counted in it. */
export type PatternPoint = readonly [tsMs: number, count: number];

/** The samples of one pattern and detected level. */
export interface PatternResult {
  readonly pattern: string;
  readonly level: string;
  readonly samples: readonly PatternPoint[];
}

/** Loki's minClusterSize: fewer lines than this in a query's range and a pattern is left out. */
export const MIN_PATTERN_LINES = 30;
/** Loki's maxPatterns: at most this many patterns in one answer. */
export const MAX_PATTERNS = 300;

function total(s: PatternResult): number {
  let n = 0;
  for (const [, v] of s.samples) n += v;
  return n;
}

/** Lists of series merged: one series per (pattern, level), counts summed per timestamp, samples in time order; largest first. */
export function mergePatterns(lists: Iterable<readonly PatternResult[]>): PatternResult[] {
  const byKey = new Map<string, { pattern: string; level: string; counts: Map<number, number> }>();
  for (const list of lists) {
    for (const s of list) {
      const key = `${s.level}\u0000${s.pattern}`;
      let m = byKey.get(key);
      if (m === undefined) byKey.set(key, (m = { pattern: s.pattern, level: s.level, counts: new Map() }));
      for (const [t, v] of s.samples) m.counts.set(t, (m.counts.get(t) ?? 0) + v);
    }
  }
  const out: PatternResult[] = [];
  for (const m of byKey.values()) {
    const samples = [...m.counts].sort((a, b) => a[0] - b[0]);
    out.push({ pattern: m.pattern, level: m.level, samples });
  }
  return sortLargestFirst(out);
}

function sortLargestFirst(series: PatternResult[]): PatternResult[] {
  const totals = new Map(series.map((s) => [s, total(s)]));
  return series.sort((a, b) => (totals.get(b) as number) - (totals.get(a) as number) || compare(a.pattern, b.pattern) || compare(a.level, b.level));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Loki's prunePatterns: the series with at least `minLines` lines, the `max` largest, largest first. */
export function prunePatterns(series: readonly PatternResult[], minLines = MIN_PATTERN_LINES, max = MAX_PATTERNS): PatternResult[] {
  return sortLargestFirst(series.filter((s) => total(s) >= minLines)).slice(0, max);
}
