/**
 * Range aggregation over query steps, computed incrementally as samples arrive: a sample at t
 * belongs to the window of each step s with s − offset − range < t ≤ s − offset (Loki's windows are
 * left-open, right-closed). Per (series, step) only running aggregates are kept — count, sum,
 * min, max, Loki's incremental mean, Welford's variance, first/last — except for
 * quantile_over_time and rate_counter, which need every value.
 *
 * Samples arrive stream by stream, each stream in time order. Loki adds a series' samples in time
 * order across all its streams (a heap-merged iterator, equal timestamps ordered by the streams'
 * label hash), and float sums depend on that order; so for the operations where order can change
 * the result, each series also keeps its samples per stream, and a series that more than one stream
 * fed is added again in Loki's order before the first vector is read. A series of one stream keeps
 * what it added as it came. Pure.
 */
import { labelsStableHash, type Labels } from '../../../schemas/labels/index.js';
import type { RangeOp } from '../ast.js';
import type { SeriesRef } from './sample-extractor.js';

/** Running aggregate of one series in one step window. */
class Accumulator {
  count = 0;
  sum = 0;
  min = NaN;
  max = NaN;
  mean = 0;
  wMean = 0;
  wAux = 0;
  firstTs = 0n;
  first = NaN;
  lastTs = 0n;
  last = NaN;
  points: [bigint, number][] | null = null;

  add(tsNs: bigint, v: number, keepPoints: boolean): void {
    this.count++;
    this.sum += v;
    if (v > this.max || Number.isNaN(this.max)) this.max = v;
    if (v < this.min || Number.isNaN(this.min)) this.min = v;
    const c = this.count;
    let skip = false;
    if (this.mean === Infinity || this.mean === -Infinity) {
      if ((v === Infinity || v === -Infinity) && this.mean > 0 === v > 0) skip = true;
      else if (Number.isFinite(v)) skip = true;
    }
    if (!skip) this.mean += v / c - this.mean / c;
    const delta = v - this.wMean;
    this.wMean += delta / c;
    this.wAux += delta * (v - this.wMean);
    if (c === 1 || tsNs < this.firstTs) {
      this.firstTs = tsNs;
      this.first = v;
    }
    if (c === 1 || tsNs >= this.lastTs) {
      this.lastTs = tsNs;
      this.last = v;
    }
    if (keepPoints) (this.points ??= []).push([tsNs, v]);
  }
}

/**
 * The samples one stream gave one series, in time order, their timestamps as ns after the first
 * window's end (exact below 2^53 ns, 104 days, which max_query_length keeps a query's span inside).
 */
class SampleRun {
  n = 0;
  ts = new Float64Array(16);
  values = new Float64Array(16);
  constructor(readonly source: Labels) {}

  push(shifted: number, v: number): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2);
      ts.set(this.ts);
      this.ts = ts;
      const values = new Float64Array(this.n * 2);
      values.set(this.values);
      this.values = values;
    }
    this.ts[this.n] = shifted;
    this.values[this.n] = v;
    this.n++;
  }
}

/**
 * Visit the samples of `runs` in Loki's iterator order: by timestamp, equal timestamps by the
 * stream labels' StableHash (pkg/iter SampleIteratorHeap.Less), a run's own samples in its order.
 */
function visitMerged(runs: readonly SampleRun[], visit: (shifted: number, v: number) => void): void {
  const hashes = runs.map((r) => labelsStableHash(r.source));
  const pos = new Array<number>(runs.length).fill(0);
  const before = (a: number, b: number): boolean => {
    const ta = (runs[a] as SampleRun).ts[pos[a] as number] as number;
    const tb = (runs[b] as SampleRun).ts[pos[b] as number] as number;
    if (ta !== tb) return ta < tb;
    const ha = hashes[a] as bigint;
    const hb = hashes[b] as bigint;
    return ha !== hb ? ha < hb : a < b;
  };
  const heap: number[] = [];
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) return;
      const r = l + 1;
      const c = r < heap.length && before(heap[r] as number, heap[l] as number) ? r : l;
      if (!before(heap[c] as number, heap[i] as number)) return;
      [heap[c], heap[i]] = [heap[i] as number, heap[c] as number];
      i = c;
    }
  };
  for (let i = 0; i < runs.length; i++) if ((runs[i] as SampleRun).n > 0) heap.push(i);
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  while (heap.length > 0) {
    const top = heap[0] as number;
    const run = runs[top] as SampleRun;
    const p = pos[top] as number;
    visit(run.ts[p] as number, run.values[p] as number);
    pos[top] = p + 1;
    if (p + 1 === run.n) {
      const last = heap.pop() as number;
      if (heap.length === 0) break;
      heap[0] = last;
    }
    down(0);
  }
}

/** A series of one range aggregation input. */
interface SeriesState {
  readonly labels: Labels;
  readonly hasError: boolean;
  /** Per step, for the operations that need only running aggregates of other kinds. */
  steps: Map<number, Accumulator>;
  /** Per step count and sum, for the operations that need nothing else (most queries: rate, count_over_time, bytes_*). */
  readonly counts: Float64Array | null;
  readonly sums: Float64Array | null;
  /** Per stream, the samples it gave, when the operation depends on their order; else null. */
  runs: SampleRun[] | null;
  lastRun: SampleRun | null;
}

/** Operations computed from per-step counts and sums alone. */
const COUNT_OPS = new Set<RangeOp>(['count_over_time', 'rate', 'absent_over_time', 'sum_over_time', 'bytes_over_time', 'bytes_rate']);

/** Operations whose result does not depend on the order samples are added in (counts and byte sums are exact integers; quantiles sort). */
const ORDER_FREE = new Set<RangeOp>(['count_over_time', 'absent_over_time', 'bytes_over_time', 'bytes_rate', 'quantile_over_time']);

/** 2^53: below it a ns difference converts to a double exactly. */
const MAX_EXACT = 9_007_199_254_740_992n;

/** A series' value at one step. */
export interface StepSample {
  readonly key: string;
  readonly labels: Labels;
  readonly value: number;
}

/** Loki's extrapolatedRate for rate_counter (counter resets allowed, per second). */
function extrapolatedRate(points: [bigint, number][], rangeNs: bigint, rangeEndNs: bigint): number {
  if (points.length < 2) return 0;
  const sorted = [...points].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const firstP = sorted[0] as [bigint, number];
  const lastP = sorted[sorted.length - 1] as [bigint, number];
  const rangeStart = rangeEndNs - rangeNs;
  let result = lastP[1] - firstP[1];
  let lastValue = 0;
  for (const [, v] of sorted) {
    if (v < lastValue) result += lastValue;
    lastValue = v;
  }
  let toStart = Number(firstP[0] - rangeStart) / 1e9;
  let toEnd = Number(rangeEndNs - lastP[0]) / 1e9;
  const sampled = Number(lastP[0] - firstP[0]) / 1e9;
  const avgGap = sampled / (sorted.length - 1);
  const threshold = avgGap * 1.1;
  if (toStart >= threshold) toStart = avgGap / 2;
  let toZero = toStart;
  if (result > 0 && firstP[1] >= 0) toZero = sampled * (firstP[1] / result);
  if (toZero < toStart) toStart = toZero;
  if (toEnd >= threshold) toEnd = avgGap / 2;
  return (result * ((sampled + toStart + toEnd) / sampled)) / (Number(rangeNs) / 1e9);
}

function quantile(q: number, values: number[]): number {
  if (values.length === 0) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

/** The step windows of one range aggregation. */
export class RangeWindows {
  private readonly series = new Map<string, SeriesState>();
  private readonly keepPoints: boolean;
  private readonly rangeSec: number;
  /** Earliest step index at which a series with `__error__` has a sample, and that series. */
  firstError: { step: number; labels: Labels } | null = null;

  private readonly simple: boolean;
  /** True when each series keeps its samples per stream, to add them again in Loki's order. */
  private readonly ordered: boolean;
  private settled = false;
  private readonly rangeNum: number;
  private readonly stepNum: number;
  /** The end of the first step's window: startNs − offsetNs. */
  private readonly firstEndNs: bigint;

  constructor(
    private readonly op: RangeOp,
    private readonly param: number | null,
    private readonly hasUnwrap: boolean,
    private readonly rangeNs: bigint,
    private readonly offsetNs: bigint,
    private readonly startNs: bigint,
    private readonly stepNs: bigint,
    readonly stepCount: number,
  ) {
    this.keepPoints = op === 'quantile_over_time' || op === 'rate_counter';
    this.rangeSec = Number(rangeNs) / 1e9;
    this.simple = COUNT_OPS.has(op) && stepCount <= 1_000_000;
    this.ordered = !ORDER_FREE.has(op) && !(op === 'rate' && !hasUnwrap);
    this.rangeNum = Number(rangeNs);
    this.stepNum = Number(stepNs);
    this.firstEndNs = startNs - offsetNs;
  }

  /** The steps [spanLo, spanHi] whose windows hold a sample `shifted` ns after the first step (exact integer arithmetic); false for none. */
  private stepSpan(shifted: number): boolean {
    if (this.stepNum === 0) return shifted > 0 || shifted <= -this.rangeNum ? false : this.setSpan(0, 0);
    const step = this.stepNum;
    let lo = shifted <= 0 ? 0 : Math.ceil(shifted / step);
    if (lo > 0 && (lo - 1) * step >= shifted) lo--;
    if (lo * step < shifted) lo++;
    const b = shifted + this.rangeNum - 1;
    if (b < 0) return false;
    let hi = Math.floor(b / step);
    if (hi * step > b) hi--;
    if ((hi + 1) * step <= b) hi++;
    hi = Math.min(this.stepCount - 1, hi);
    return this.setSpan(lo, hi);
  }

  /** The end of step k's window (the step time minus the offset). */
  windowEnd(k: number): bigint {
    return this.startNs + BigInt(k) * this.stepNs - this.offsetNs;
  }

  private lastRef: SeriesRef | null = null;
  private lastState: SeriesState | null = null;
  /** The steps the last span found: [spanLo, spanHi] (fields, so no pair is made per sample). */
  private spanLo = 0;
  private spanHi = 0;

  private setSpan(lo: number, hi: number): boolean {
    this.spanLo = lo;
    this.spanHi = hi;
    return lo <= hi;
  }

  /** Whether a step's window holds a sample `shifted` ns after the first window's end; the steps are then [spanLo, spanHi]. */
  private spanOf(shifted: bigint): boolean {
    return shifted > -MAX_EXACT && shifted < MAX_EXACT ? this.stepSpan(Number(shifted)) : this.stepSpanBig(shifted);
  }

  /**
   * Add one sample of `s` with `value`, taken at `tsNs`, from the stream labelled `source` (the
   * same object for all its samples). All samples come before the first `vectorAt`.
   */
  add(tsNs: bigint, s: SeriesRef, value: number, source: Labels): void {
    const shifted = tsNs - this.firstEndNs;
    if (!this.spanOf(shifted)) return;
    const lo = this.spanLo;
    const hi = this.spanHi;
    let st = s === this.lastRef ? this.lastState : this.series.get(s.key);
    if (st === undefined || st === null) {
      st = {
        labels: s.labels, hasError: s.hasError, steps: new Map(),
        counts: this.simple ? new Float64Array(this.stepCount) : null,
        sums: this.simple ? new Float64Array(this.stepCount) : null,
        runs: this.ordered ? [] : null,
        lastRun: null,
      };
      this.series.set(s.key, st);
    }
    this.lastRef = s;
    this.lastState = st;
    if (st.hasError && (this.firstError === null || lo < this.firstError.step)) this.firstError = { step: lo, labels: st.labels };
    if (st.runs !== null) {
      let run = st.lastRun;
      if (run === null || run.source !== source) {
        run = st.runs.find((r) => r.source === source) ?? null;
        if (run === null) {
          run = new SampleRun(source);
          st.runs.push(run);
        }
        st.lastRun = run;
      }
      run.push(Number(shifted), value);
    }
    this.accumulate(st, tsNs, value, lo, hi);
  }

  private accumulate(st: SeriesState, tsNs: bigint, value: number, lo: number, hi: number): void {
    if (st.counts !== null && st.sums !== null) {
      for (let k = lo; k <= hi; k++) {
        st.counts[k] = (st.counts[k] as number) + 1;
        st.sums[k] = (st.sums[k] as number) + value;
      }
      return;
    }
    for (let k = lo; k <= hi; k++) {
      let acc = st.steps.get(k);
      if (acc === undefined) {
        acc = new Accumulator();
        st.steps.set(k, acc);
      }
      acc.add(tsNs, value, this.keepPoints);
    }
  }

  /** Add again, in Loki's order, every series more than one stream fed; then drop the kept samples. */
  private settle(): void {
    this.settled = true;
    if (!this.ordered) return;
    for (const st of this.series.values()) {
      const runs = st.runs;
      st.runs = null;
      st.lastRun = null;
      if (runs === null || runs.length < 2) continue;
      st.steps = new Map();
      st.counts?.fill(0);
      st.sums?.fill(0);
      visitMerged(runs, (shifted, v) => {
        this.spanOf(BigInt(shifted));
        this.accumulate(st, this.firstEndNs + BigInt(shifted), v, this.spanLo, this.spanHi);
      });
    }
  }

  /** stepSpan for offsets beyond what a double holds exactly. */
  private stepSpanBig(shifted: bigint): boolean {
    let lo: number;
    let hi: number;
    if (this.stepNs === 0n) {
      if (shifted > 0n || shifted <= -this.rangeNs) return false;
      lo = 0;
      hi = 0;
    } else {
      const a = shifted <= 0n ? 0n : (shifted + this.stepNs - 1n) / this.stepNs;
      const b = shifted + this.rangeNs - 1n;
      if (b < 0n) return false;
      lo = Number(a);
      hi = Math.min(this.stepCount - 1, Number(b / this.stepNs));
    }
    return this.setSpan(lo, hi);
  }

  private finalValue(acc: Accumulator, k: number): number {
    switch (this.op) {
      case 'count_over_time': return acc.count;
      case 'rate': return (this.hasUnwrap ? acc.sum : acc.count) / this.rangeSec;
      case 'bytes_over_time':
      case 'sum_over_time': return acc.sum;
      case 'bytes_rate': return acc.sum / this.rangeSec;
      case 'avg_over_time': return acc.mean;
      case 'min_over_time': return acc.min;
      case 'max_over_time': return acc.max;
      case 'stdvar_over_time': return acc.wAux / acc.count;
      case 'stddev_over_time': return Math.sqrt(acc.wAux / acc.count);
      case 'quantile_over_time': return quantile(this.param ?? 0, (acc.points ?? []).map((p) => p[1]));
      case 'first_over_time': return acc.first;
      case 'last_over_time': return acc.last;
      case 'absent_over_time': return 1;
      case 'rate_counter': return extrapolatedRate(acc.points ?? [], this.rangeNs, this.windowEnd(k));
    }
  }

  /** The value of a count/sum operation from a step's count and sum. */
  private simpleValue(count: number, sum: number): number {
    switch (this.op) {
      case 'count_over_time': return count;
      case 'rate': return (this.hasUnwrap ? sum : count) / this.rangeSec;
      case 'sum_over_time':
      case 'bytes_over_time': return sum;
      case 'bytes_rate': return sum / this.rangeSec;
      case 'absent_over_time': return 1;
      default: return NaN;
    }
  }

  /** The range vector at step k. */
  vectorAt(k: number): StepSample[] {
    if (!this.settled) this.settle();
    const out: StepSample[] = [];
    for (const [key, st] of this.series) {
      if (st.counts !== null && st.sums !== null) {
        const c = st.counts[k] as number;
        if (c > 0) out.push({ key, labels: st.labels, value: this.simpleValue(c, st.sums[k] as number) });
        continue;
      }
      const acc = st.steps.get(k);
      if (acc !== undefined) out.push({ key, labels: st.labels, value: this.finalValue(acc, k) });
    }
    return out;
  }
}
