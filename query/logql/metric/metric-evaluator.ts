/**
 * Push-based evaluation of metric queries. The engine reads the entries of each input (a range
 * aggregation's selector over its data range) and pushes them in; `finish` evaluates the
 * expression at every step and returns Loki's result types: `matrix` for range queries, `vector`
 * (or `scalar` for a literal) for instant queries (start = end, step 0; a range query whose
 * start equals its end is a one-point matrix, as Loki's GetRangeType). Timestamps in results are
 * milliseconds, as in Loki's API. Pure.
 */
import { FjordError } from '../../../schemas/index.js';
import { compareLabelSets, formatLabels, type Labels } from '../../../schemas/labels/index.js';
import type { Grouping, LogSelectorExpr, RangeOp, SampleExpr } from '../ast.js';
import { compileMatcher, type CompiledMatcher } from '../matchers.js';
import { compileGoRegex } from '../regex/re2-compile.js';
import { vectorScalar, vectorVector } from './binary-ops.js';
import { RangeWindows, type StepSample } from './range-windows.js';
import { compileSampleExtractor, type StreamExtractor } from './sample-extractor.js';
import { aggregateVector, labelReplace, sample } from './vector-ops.js';

/** Query parameters (nanoseconds). `stepNs` 0 with start = end is an instant query. */
export interface MetricQueryParams {
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly stepNs: bigint;
  /** What the template function `now` returns; defaults to each entry's timestamp. */
  readonly nowNs?: bigint;
}

/** An input the engine must feed: entries of streams matching `matchers` with `fromNs < ts ≤ toNs`. */
export interface MetricInput {
  readonly index: number;
  readonly selector: LogSelectorExpr;
  readonly matchers: readonly CompiledMatcher[];
  readonly fromNs: bigint;
  readonly toNs: bigint;
}

/** A series of a matrix result. */
export interface MatrixSeries {
  readonly metric: Labels;
  readonly values: readonly (readonly [tsMs: number, value: number])[];
}

/** A sample of a vector result. */
export interface VectorSample {
  readonly metric: Labels;
  readonly tsMs: number;
  readonly value: number;
}

/** Result of a metric query. */
export type MetricResult =
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[] }
  | { readonly resultType: 'vector'; readonly result: readonly VectorSample[] }
  | { readonly resultType: 'scalar'; readonly result: { readonly tsMs: number; readonly value: number } };

/** Entries in timestamp order with their lines in one buffer: what a decoded chunk block is. */
export interface LineBlock {
  readonly tsNs: ArrayLike<bigint>;
  readonly text: Uint8Array;
  /** Line i is text[bounds[i], bounds[i + 1]). */
  readonly bounds: ArrayLike<number>;
  readonly hasStructuredMetadata: boolean;
  structuredMetadata(i: number): Labels;
}

/** Feeds one stream's entries into one input, in time order. */
export interface StreamPusher {
  push(tsNs: bigint, line: Uint8Array, structuredMetadata: Labels): void;
  /** Push entries [from, to) of a block. */
  pushRun(block: LineBlock, from: number, to: number): void;
}

const NO_SM: Labels = Object.freeze([]);

/** A metric query being evaluated. */
export interface MetricEvaluator {
  readonly inputs: readonly MetricInput[];
  readonly isInstant: boolean;
  /** Push one entry of input `inputIndex` (entries of one stream in time order). */
  push(inputIndex: number, streamLabels: Labels, tsNs: bigint, line: Uint8Array, structuredMetadata: Labels): void;
  /** The pusher of one stream's entries into input `inputIndex`. */
  pusher(inputIndex: number, streamLabels: Labels): StreamPusher;
  /** Evaluate every step; throws FjordError('bad_request') on Loki's pipeline and matching errors. */
  finish(): MetricResult;
}

interface InputState {
  readonly windows: RangeWindows;
  readonly extractorFor: (labels: Labels) => StreamExtractor;
  readonly byIdentity: WeakMap<Labels, StreamExtractor>;
}

const ADDITIVE: ReadonlySet<RangeOp> = new Set(['bytes_over_time', 'bytes_rate', 'sum_over_time', 'rate', 'count_over_time']);

type StepValue = { kind: 'vector'; vec: StepSample[] } | { kind: 'scalar'; value: number };

/** Labels absent_over_time reports: the selector's equality matchers used once. */
function absentLabels(sel: LogSelectorExpr): Labels {
  const out = new Map<string, string>();
  const drop = new Set<string>();
  for (const m of sel.matchers) {
    if (m.type === '=' && !out.has(m.name)) out.set(m.name, m.value);
    else drop.add(m.name);
  }
  for (const d of drop) out.delete(d);
  return [...out].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

function pipelineError(labels: Labels): FjordError {
  const err = labels.find((l) => l.name === '__error__')?.value ?? '';
  return new FjordError(
    'bad_request',
    `pipeline error: '${err}' for series: '${formatLabels(labels)}'.\n` +
      `Use a label filter to intentionally skip this error. (e.g | __error__!="${err}").\n` +
      'To skip all potential errors you can match empty errors.(e.g __error__="")\n' +
      'The label filter can also be specified after unwrap. (e.g | unwrap latency | __error__="" )\n',
  );
}

/** Start evaluating a metric query; throws FjordError('bad_request') for pipelines Loki rejects. */
export function createMetricEvaluator(expr: SampleExpr, params: MetricQueryParams): MetricEvaluator {
  const isInstant = params.startNs === params.endNs && params.stepNs === 0n;
  const stepNs = isInstant ? 0n : params.stepNs <= 0n ? 1n : params.stepNs;
  const stepCount = isInstant ? 1 : Number((params.endNs - params.startNs) / stepNs) + 1;
  const inputs: MetricInput[] = [];
  const states: InputState[] = [];
  const rangeIndex = new Map<SampleExpr, number>();

  const register = (e: SampleExpr & { kind: 'rangeAggregation' }, override: Grouping | null): void => {
    const r = e.range;
    const index = inputs.length;
    inputs.push({
      index,
      selector: r.selector,
      matchers: r.selector.matchers.map(compileMatcher),
      fromNs: params.startNs - r.offsetNs - r.rangeNs,
      toNs: params.endNs - r.offsetNs,
    });
    const windows = new RangeWindows(e.op, e.param, r.unwrap !== null, r.rangeNs, r.offsetNs, params.startNs, stepNs, stepCount);
    const opts = params.nowNs === undefined ? {} : { nowNs: params.nowNs };
    states.push({ windows, extractorFor: compileSampleExtractor(e.op, r, e.grouping, override, opts), byIdentity: new WeakMap() });
    rangeIndex.set(e, index);
  };
  const walk = (e: SampleExpr, override: Grouping | null): void => {
    switch (e.kind) {
      case 'rangeAggregation': return register(e, e.grouping === null && ADDITIVE.has(e.op) ? override : null);
      case 'vectorAggregation': return walk(e.inner, e.op === 'sum' ? e.grouping : null);
      case 'binary':
        walk(e.lhs, null);
        walk(e.rhs, null);
        return;
      case 'labelReplace': return walk(e.inner, null);
      case 'literal':
      case 'vector':
        return;
    }
  };
  walk(expr, null);

  const evalAt = (e: SampleExpr, k: number): StepValue => {
    switch (e.kind) {
      case 'literal': return { kind: 'scalar', value: e.value };
      case 'vector': return { kind: 'vector', vec: [sample([], e.value)] };
      case 'rangeAggregation': {
        const st = states[rangeIndex.get(e) as number] as InputState;
        const vec = st.windows.vectorAt(k);
        if (e.op === 'absent_over_time') return { kind: 'vector', vec: vec.length > 0 ? [] : [sample(absentLabels(e.range.selector), 1)] };
        return { kind: 'vector', vec };
      }
      case 'vectorAggregation': {
        const inner = evalAt(e.inner, k);
        const vec = inner.kind === 'vector' ? inner.vec : [sample([], inner.value)];
        return { kind: 'vector', vec: aggregateVector(e.op, e.param, e.grouping, vec) };
      }
      case 'labelReplace': {
        const inner = evalAt(e.inner, k);
        const r = compileGoRegex(`^(?:${e.regex})$`, { dotNL: false, anchored: false });
        if (!r.ok || inner.kind !== 'vector') return inner;
        return { kind: 'vector', vec: labelReplace(inner.vec, e.dst, e.replacement, e.src, r.regex.re) };
      }
      case 'binary': {
        const l = evalAt(e.lhs, k);
        const r = evalAt(e.rhs, k);
        if (l.kind === 'scalar' && r.kind === 'scalar') return { kind: 'scalar', value: vectorScalar(e.op, [sample([], l.value)], r.value, false, true)[0]?.value ?? NaN };
        if (l.kind === 'scalar' && r.kind === 'vector') return { kind: 'vector', vec: vectorScalar(e.op, r.vec, l.value, true, e.returnBool) };
        if (l.kind === 'vector' && r.kind === 'scalar') return { kind: 'vector', vec: vectorScalar(e.op, l.vec, r.value, false, e.returnBool) };
        return { kind: 'vector', vec: vectorVector(e.op, e.matching, e.returnBool, (l as { vec: StepSample[] }).vec, (r as { vec: StepSample[] }).vec) };
      }
    }
  };

  const stepMs = (k: number): number => Number((params.startNs + BigInt(k) * stepNs) / 1_000_000n);

  return {
    inputs,
    isInstant,
    push(inputIndex, streamLabels, tsNs, line, sm) {
      const st = states[inputIndex];
      if (st === undefined) throw new FjordError('invalid_argument', `no metric input ${inputIndex}`);
      let ex = st.byIdentity.get(streamLabels);
      if (ex === undefined) {
        ex = st.extractorFor(streamLabels);
        st.byIdentity.set(streamLabels, ex);
      }
      const s = ex.extract(tsNs, line, sm);
      if (s !== null) st.windows.add(tsNs, s, ex.value, streamLabels);
    },
    pusher(inputIndex, streamLabels) {
      const st = states[inputIndex];
      if (st === undefined) throw new FjordError('invalid_argument', `no metric input ${inputIndex}`);
      let ex = st.byIdentity.get(streamLabels);
      if (ex === undefined) {
        ex = st.extractorFor(streamLabels);
        st.byIdentity.set(streamLabels, ex);
      }
      const extractor = ex;
      const windows = st.windows;
      return {
        push(tsNs, line, sm) {
          const s = extractor.extract(tsNs, line, sm);
          if (s !== null) windows.add(tsNs, s, extractor.value, streamLabels);
        },
        pushRun(block, from, to) {
          const { tsNs, text, bounds } = block;
          const withSm = block.hasStructuredMetadata;
          const selected = extractor.selectRun(text, bounds, from, to, withSm ? (i) => block.structuredMetadata(i) : null);
          if (selected !== null) {
            for (let k = 0; k < selected.length; k++) {
              const i = selected[k] as number;
              const ts = tsNs[i] as bigint;
              const s = extractor.extractSelected(ts, text, bounds[i] as number, bounds[i + 1] as number, withSm ? block.structuredMetadata(i) : NO_SM);
              if (s !== null) windows.add(ts, s, extractor.value, streamLabels);
            }
            return;
          }
          // a timestamp is read (a bigint made from the block's column) only for a line that is parsed or counted
          for (let i = from; i < to; i++) {
            const s = extractor.extractAt(tsNs, i, text, bounds[i] as number, bounds[i + 1] as number, withSm ? block.structuredMetadata(i) : NO_SM);
            if (s !== null) windows.add(tsNs[i] as bigint, s, extractor.value, streamLabels);
          }
        },
      };
    },
    finish(): MetricResult {
      let firstError: { step: number; labels: Labels } | null = null;
      for (const st of states) {
        const fe = st.windows.firstError;
        if (fe !== null && (firstError === null || fe.step < firstError.step)) firstError = fe;
      }
      if (firstError !== null) throw pipelineError(firstError.labels);
      if (isInstant) {
        const v = evalAt(expr, 0);
        if (v.kind === 'scalar') return { resultType: 'scalar', result: { tsMs: stepMs(0), value: v.value } };
        const sortable = expr.kind === 'vectorAggregation' && (expr.op === 'sort' || expr.op === 'sort_desc');
        const vec = sortable ? v.vec : [...v.vec].sort((a, b) => compareLabelSets(a.labels, b.labels));
        return { resultType: 'vector', result: vec.map((s) => ({ metric: s.labels, tsMs: stepMs(0), value: s.value })) };
      }
      const series = new Map<string, { metric: Labels; values: [number, number][] }>();
      for (let k = 0; k < stepCount; k++) {
        const v = evalAt(expr, k);
        const vec = v.kind === 'scalar' ? [sample([], v.value)] : v.vec;
        for (const s of vec) {
          let ser = series.get(s.key);
          if (ser === undefined) {
            ser = { metric: s.labels, values: [] };
            series.set(s.key, ser);
          }
          ser.values.push([stepMs(k), s.value]);
        }
      }
      return { resultType: 'matrix', result: [...series.values()].sort((a, b) => compareLabelSets(a.metric, b.metric)) };
    },
  };
}
