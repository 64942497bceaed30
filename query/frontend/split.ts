/**
 * Splitting a query's time range into pieces, as Loki's query frontend does
 * (`L:pkg/util/time.go` ForInterval, `L:pkg/querier/queryrange/splitters.go`):
 * - log queries: [start, end) cut at multiples of the interval (the first piece keeps the start);
 * - metadata queries: the same with inclusive ends, 1 ms apart;
 * - metric range queries: start aligned down and end up to the step, the interval raised to the
 *   largest range of the query, and pieces cut so that every evaluation step falls in exactly one
 *   piece (a piece's steps are start, start+step, … ≤ end).
 * All times are bigint nanoseconds. Pure.
 */

/** A piece of a query's time range. */
export interface TimeRange {
  readonly startNs: bigint;
  readonly endNs: bigint;
}

const SPLIT_GAP_NS = 1_000_000n;

/**
 * Loki's util.ForInterval: cut [start, end) at multiples of `intervalNs`; the first piece keeps
 * the original start. With `endInclusive`, each piece but the last ends 1 ms before the next
 * begins. An interval ≤ 0 gives the whole range.
 */
export function splitByInterval(startNs: bigint, endNs: bigint, intervalNs: bigint, endInclusive = false): TimeRange[] {
  if (intervalNs <= 0n) return [{ startNs, endNs }];
  const out: TimeRange[] = [];
  let first = true;
  for (let s = startNs - mod(startNs, intervalNs); s < endNs; s += intervalNs) {
    let e = s + intervalNs;
    if (e >= endNs) e = endNs;
    else if (endInclusive) e -= SPLIT_GAP_NS;
    out.push({ startNs: first ? startNs : s, endNs: e });
    first = false;
  }
  return out;
}

/** Loki's alignStartEnd: start rounded down and end rounded up to multiples of the step. */
export function alignToStep(startNs: bigint, endNs: bigint, stepNs: bigint): TimeRange {
  const m = mod(endNs, stepNs);
  return { startNs: startNs - mod(startNs, stepNs), endNs: m === 0n ? endNs : endNs + stepNs - m };
}

/** Loki's nextIntervalBoundary: the last step before the next interval boundary after `t`. */
function nextIntervalBoundary(t: bigint, stepNs: bigint, intervalNs: bigint): bigint {
  const startOfNext = (div(t, intervalNs) + 1n) * intervalNs;
  let target = startOfNext - mod(startOfNext - t, stepNs);
  if (target === startOfNext) target -= stepNs;
  return target;
}

/**
 * Split a metric range query (already step-aligned) as Loki's metricQuerySplitter: pieces are
 * [first step, last step], consecutive pieces one step apart, cut before interval boundaries. The
 * interval is raised to `maxRangeNs` (the largest range of the query). When the step is at
 * least the interval, each step is its own piece. A range with a single step is one piece.
 */
export function splitMetricRange(startNs: bigint, endNs: bigint, stepNs: bigint, intervalNs: bigint, maxRangeNs: bigint): TimeRange[] {
  if (intervalNs <= 0n || stepNs <= 0n || startNs >= endNs) return [{ startNs, endNs }];
  const interval = maxRangeNs > intervalNs ? maxRangeNs : intervalNs;
  const out: TimeRange[] = [];
  if (stepNs >= interval) {
    for (let t = startNs; t <= endNs; t += stepNs) out.push({ startNs: t, endNs: t });
    return out;
  }
  for (let s = startNs; s < endNs; s = nextIntervalBoundary(s, stepNs, interval) + stepNs) {
    let e = nextIntervalBoundary(s, stepNs, interval);
    if (e + stepNs >= endNs) e = endNs;
    out.push({ startNs: s, endNs: e });
  }
  if (out.length > 0 && (out[out.length - 1] as TimeRange).endNs < endNs) out.push({ startNs: endNs, endNs });
  return out;
}

/** The evaluation steps of a metric piece: start, start+step, … ≤ end. */
export function stepsOf(piece: TimeRange, stepNs: bigint): bigint[] {
  const out: bigint[] = [];
  for (let t = piece.startNs; t <= piece.endNs; t += stepNs) out.push(t);
  return out;
}

/**
 * The range to ask a backend for one metric piece: a piece holding a single step is sent as
 * [t, t + step − 1 ns], so that it stays a range query (start = end means an instant query).
 */
export function metricPieceRequestRange(piece: TimeRange, stepNs: bigint): TimeRange {
  return piece.startNs === piece.endNs ? { startNs: piece.startNs, endNs: piece.startNs + stepNs - 1n } : piece;
}

function mod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r < 0n ? r + b : r;
}

function div(a: bigint, b: bigint): bigint {
  return (a - mod(a, b)) / b;
}
