/**
 * Range aggregation over query steps, computed incrementally as samples arrive: a sample at t
 * belongs to the window of each step s with s − offset − range < t ≤ s − offset (Loki's windows are
 * left-open, right-closed). Per (series, step) only running aggregates are kept — count, sum,
 * min, max, Loki's incremental mean, Welford's variance, first/last — except for
 * quantile_over_time and rate_counter, which need every value. Pure.
 */
import type { Labels } from '../../../schemas/labels/index.js';
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

/** A series of one range aggregation input. */
interface SeriesState {
  readonly labels: Labels;
  readonly hasError: boolean;
  /** Per step, for the operations that need only running aggregates of other kinds. */
  readonly steps: Map<number, Accumulator>;
  /** Per step count and sum, for the operations that need nothing else (most queries: rate, count_over_time, bytes_*). */
  readonly counts: Float64Array | null;
  readonly sums: Float64Array | null;
}

/** Operations computed from per-step counts and sums alone. */
const COUNT_OPS = new Set<RangeOp>(['count_over_time', 'rate', 'absent_over_time', 'sum_over_time', 'bytes_over_time', 'bytes_rate']);

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
  private readonly rangeNum: number;
  private readonly stepNum: number;
  private readonly offsetNum: number;

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
    this.rangeNum = Number(rangeNs);
    this.stepNum = Number(stepNs);
    this.offsetNum = Number(offsetNs);
  }

  /** The steps [lo, hi] whose windows hold a sample `shifted` ns after the first step (exact integer arithmetic). */
  private stepSpan(shifted: number): [number, number] | null {
    if (this.stepNum === 0) return shifted > 0 || shifted <= -this.rangeNum ? null : [0, 0];
    const step = this.stepNum;
    let lo = shifted <= 0 ? 0 : Math.ceil(shifted / step);
    if (lo > 0 && (lo - 1) * step >= shifted) lo--;
    if (lo * step < shifted) lo++;
    const b = shifted + this.rangeNum - 1;
    if (b < 0) return null;
    let hi = Math.floor(b / step);
    if (hi * step > b) hi--;
    if ((hi + 1) * step <= b) hi++;
    hi = Math.min(this.stepCount - 1, hi);
    return lo > hi ? null : [lo, hi];
  }

  /** The end of step k's window (the step time minus the offset). */
  windowEnd(k: number): bigint {
    return this.startNs + BigInt(k) * this.stepNs - this.offsetNs;
  }

  private lastRef: SeriesRef | null = null;
  private lastState: SeriesState | null = null;

  /** Add one sample of `s` with `value`, taken at `tsNs`. */
  add(tsNs: bigint, s: SeriesRef, value: number): void {
    const exact = tsNs - this.startNs;
    const span = exact > -9_000_000_000_000_000n && exact < 9_000_000_000_000_000n ? this.stepSpan(Number(exact) + this.offsetNum) : this.stepSpanBig(exact + this.offsetNs);
    if (span === null) return;
    const [lo, hi] = span;
    let st = s === this.lastRef ? this.lastState : this.series.get(s.key);
    if (st === undefined || st === null) {
      st = {
        labels: s.labels, hasError: s.hasError, steps: new Map(),
        counts: this.simple ? new Float64Array(this.stepCount) : null,
        sums: this.simple ? new Float64Array(this.stepCount) : null,
      };
      this.series.set(s.key, st);
    }
    this.lastRef = s;
    this.lastState = st;
    if (st.hasError && (this.firstError === null || lo < this.firstError.step)) this.firstError = { step: lo, labels: st.labels };
    if (st.counts !== null && st.sums !== null) {
      const v = value;
      for (let k = lo; k <= hi; k++) {
        st.counts[k] = (st.counts[k] as number) + 1;
        st.sums[k] = (st.sums[k] as number) + v;
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

  /** stepSpan for offsets beyond what a double holds exactly. */
  private stepSpanBig(shifted: bigint): [number, number] | null {
    let lo: number;
    let hi: number;
    if (this.stepNs === 0n) {
      if (shifted > 0n || shifted <= -this.rangeNs) return null;
      lo = 0;
      hi = 0;
    } else {
      const a = shifted <= 0n ? 0n : (shifted + this.stepNs - 1n) / this.stepNs;
      const b = shifted + this.rangeNs - 1n;
      if (b < 0n) return null;
      lo = Number(a);
      hi = Math.min(this.stepCount - 1, Number(b / this.stepNs));
    }
    return lo > hi ? null : [lo, hi];
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
