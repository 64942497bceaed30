/**
 * The explorer's two charts, drawn with uPlot: the log volume histogram (lines per step, stacked
 * by level) and the time series of a metric query. Dragging across either selects a new range.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricSeries } from '../shared/loki-client.js';

/** Colours by level, as Grafana's log level colours; unknown levels are grey. */
const LEVEL_COLORS: Readonly<Record<string, string>> = {
  critical: '#705da0', fatal: '#705da0', error: '#e02f44', warn: '#ff9830', warning: '#ff9830',
  info: '#56a64b', debug: '#3274d9', trace: '#6ed0e0', unknown: '#8e8e8e',
};
const LEVEL_ORDER = ['critical', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace', 'unknown'];
const PALETTE = ['#7eb26d', '#eab839', '#6ed0e0', '#ef843c', '#e24d42', '#1f78c1', '#ba43a9', '#705da0', '#508642', '#cca300'];

/** Called with a dragged range, in milliseconds. */
export type OnSelectRange = (fromMs: number, toMs: number) => void;

function selectHook(onSelect: OnSelectRange) {
  return (u: uPlot) => {
    if (u.select.width < 2) return;
    const from = u.posToVal(u.select.left, 'x');
    const to = u.posToVal(u.select.left + u.select.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    onSelect(Math.floor(from * 1000), Math.ceil(to * 1000));
  };
}

/** Timestamps (seconds) from `fromMs` to `toMs` every `stepMs`, aligned down to the step. */
function buckets(fromMs: number, toMs: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) out.push(t / 1000);
  return out;
}

/** Values of `series` at `xs` (seconds), 0 where it has none. */
function valuesAt(xs: readonly number[], series: MetricSeries, fill: number | null): (number | null)[] {
  const byTs = new Map(series.values.map(([t, v]) => [t, Number(v)]));
  return xs.map((x) => byTs.get(x) ?? fill);
}

/** Draw the volume histogram into `target`: `series` is Loki's matrix by `level` and `detected_level`. */
export function drawHistogram(
  target: HTMLElement, series: readonly MetricSeries[], range: { fromMs: number; toMs: number; stepMs: number }, onSelect: OnSelectRange,
): uPlot {
  const xs = buckets(range.fromMs, range.toMs, range.stepMs);
  const byLevel = new Map<string, number[]>();
  for (const s of series) {
    const level = (s.metric.detected_level || s.metric.level || 'unknown').toLowerCase();
    const vals = valuesAt(xs, s, 0) as number[];
    const prev = byLevel.get(level);
    byLevel.set(level, prev ? prev.map((v, i) => v + (vals[i] ?? 0)) : vals);
  }
  const levels = [...byLevel.keys()].sort((a, b) => rank(a) - rank(b));
  // Stacked: each level's bar is drawn from the top of the ones below it, so draw cumulative sums, biggest first.
  const cumulative: number[][] = [];
  let acc = xs.map(() => 0);
  for (const level of [...levels].reverse()) {
    acc = acc.map((v, i) => v + ((byLevel.get(level) as number[])[i] ?? 0));
    cumulative.unshift(acc);
  }
  const bars = uPlot.paths.bars!({ size: [0.9, 40] });
  const opts: uPlot.Options = {
    width: target.clientWidth || 800, height: 110, legend: { show: true, live: false },
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: true, range: [range.fromMs / 1000, range.toMs / 1000] } },
    axes: [{ size: 30 }, { size: 40, ticks: { show: false }, values: (_u, v) => v.map((n) => (Number.isInteger(n) ? String(n) : '')) }],
    series: [{}, ...levels.map((level) => ({ label: level, fill: LEVEL_COLORS[level] ?? '#8e8e8e', stroke: LEVEL_COLORS[level] ?? '#8e8e8e', paths: bars, points: { show: false } }))],
    hooks: { setSelect: [selectHook(onSelect)] },
  };
  target.replaceChildren();
  return new uPlot(opts, [xs, ...cumulative], target);
}

function rank(level: string): number {
  const i = LEVEL_ORDER.indexOf(level);
  return i < 0 ? LEVEL_ORDER.length - 1 : i;
}

/** `{a="b", c="d"}` for a series' legend. */
export function seriesName(metric: Readonly<Record<string, string>>): string {
  const parts = Object.entries(metric).map(([k, v]) => `${k}="${v}"`);
  return `{${parts.join(', ')}}`;
}

/** Draw a metric query's series as lines into `target`. */
export function drawTimeSeries(
  target: HTMLElement, series: readonly MetricSeries[], range: { fromMs: number; toMs: number; stepMs: number }, onSelect: OnSelectRange,
): uPlot {
  const xs = [...new Set(series.flatMap((s) => s.values.map(([t]) => t)))].sort((a, b) => a - b);
  const opts: uPlot.Options = {
    width: target.clientWidth || 800, height: 300,
    cursor: { drag: { x: true, y: false } },
    scales: { x: { time: true, range: [range.fromMs / 1000, range.toMs / 1000] } },
    axes: [{}, { size: 60 }],
    series: [{}, ...series.map((s, i) => ({ label: seriesName(s.metric), stroke: PALETTE[i % PALETTE.length] as string, width: 1.5, spanGaps: false }))],
    hooks: { setSelect: [selectHook(onSelect)] },
  };
  target.replaceChildren();
  return new uPlot(opts, [xs, ...series.map((s) => valuesAt(xs, s, null))], target);
}
