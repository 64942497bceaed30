/**
 * Range windows: a sample at t belongs to steps s with s - range < t <= s (Loki range_vector.go);
 * a series' samples are added in time order across its streams, as Loki's heap-merged iterator.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Labels } from '../../../../../schemas/labels/index.js';
import { createMetricEvaluator, parseExpr, type SampleExpr } from '../../../../../query/logql/index.js';
import { RangeWindows } from '../../../../../query/logql/metric/range-windows.js';

const S = 1_000_000_000n;
const series = { key: '{}', labels: [], hasError: false };

const cases = [
  { name: 'sample at the step is in', ts: 60, steps: [1, 0, 0] },
  { name: 'sample at step - range is out', ts: 30, steps: [0, 0, 0] },
  { name: 'sample just after step - range is in', ts: 31, steps: [1, 0, 0] },
  { name: 'sample in two overlapping windows', ts: 61, steps: [0, 1, 0] },
];
for (const c of cases) {
  test(`range windows: ${c.name}`, () => {
    const w = new RangeWindows('count_over_time', null, false, 30n * S, 0n, 60n * S, 30n * S, 3);
    w.add(BigInt(c.ts) * S, series, 1, series.labels);
    assert.deepEqual([0, 1, 2].map((k) => w.vectorAt(k)[0]?.value ?? 0), c.steps);
  });
}

test('range windows: overlapping range counts a sample in every covering step', () => {
  const w = new RangeWindows('count_over_time', null, false, 60n * S, 0n, 60n * S, 15n * S, 5);
  w.add(70n * S, series, 1, series.labels);
  assert.deepEqual([0, 1, 2, 3, 4].map((k) => w.vectorAt(k)[0]?.value ?? 0), [0, 1, 1, 1, 1]);
});

/** One stream's samples: its labels and (seconds, value) pairs in time order, as logfmt lines `v=<value>`. */
type StreamSamples = { labels: Labels; samples: [number, string][] };

/** An instant query at 60 s over streams pushed one after the other, as the engine pushes them. */
function evaluateAt60(query: string, streams: StreamSamples[]): number {
  const ev = createMetricEvaluator(parseExpr(query) as SampleExpr, { startNs: 60n * S, endNs: 60n * S, stepNs: 0n });
  for (const st of streams) {
    const pusher = ev.pusher(0, st.labels);
    for (const [sec, v] of st.samples) pusher.push(BigInt(sec) * S, Buffer.from(`v=${v}`), []);
  }
  const r = ev.finish();
  assert.equal(r.resultType, 'vector');
  return (r.result as readonly { value: number }[])[0]?.value ?? NaN;
}

const pod = (p: string): Labels => [{ name: 'app', value: 'a' }, { name: 'pod', value: p }];
/** 1e16 + 1 rounds to 1e16, so adding these in time order (1e16, 1, -1e16) gives 0 and in stream order (1e16, -1e16, 1) gives 1. */
const twoStreams: StreamSamples[] = [
  { labels: pod('1'), samples: [[1, '1e16'], [3, '-1e16']] },
  { labels: pod('2'), samples: [[2, '1']] },
];
/** Loki's avgOverTime (mean += v/count - mean/count) over samples in time order. */
const lokiAvg = (xs: number[]): number => xs.reduce((m, v, i) => m + (v / (i + 1) - m / (i + 1)), 0);
const orderCases = [
  { name: 'sum_over_time with the pod label dropped', query: 'sum_over_time({app="a"} | logfmt | drop pod | unwrap v [1m])', want: 0 },
  { name: 'sum by (app) of sum_over_time (grouping pushed down)', query: 'sum by (app) (sum_over_time({app="a"} | logfmt | unwrap v [1m]))', want: 0 },
  { name: 'sum by (app) of rate over unwrap', query: 'sum by (app) (rate({app="a"} | logfmt | unwrap v [1m]))', want: 0 },
  { name: 'avg_over_time by (app)', query: 'avg_over_time({app="a"} | logfmt | unwrap v [1m]) by (app)', want: lokiAvg([1e16, 1, -1e16]) },
  { name: 'avg_over_time with the pod label dropped', query: 'avg_over_time({app="a"} | logfmt | drop pod | unwrap v [1m])', want: lokiAvg([1e16, 1, -1e16]) },
  { name: 'stdvar_over_time without (pod)', query: 'stdvar_over_time({app="a"} | logfmt | unwrap v [1m]) without (pod)', want: 6.666666666666666e31 },
];
for (const c of orderCases) {
  test(`range windows: ${c.name} adds one series' samples in time order across its streams`, () => {
    assert.equal(evaluateAt60(c.query, twoStreams), c.want);
  });
}

test('range windows: samples of equal timestamp from two streams are added in the order of the streams\' StableHash', () => {
  // StableHash {app="a",pod="3"} = 7588771706246239140 < {app="a",pod="2"} = 7602038688493089850, so at 2 s Loki adds -1e16 before 1.
  const streams: StreamSamples[] = [
    { labels: pod('1'), samples: [[1, '1e16']] },
    { labels: pod('2'), samples: [[2, '1']] },
    { labels: pod('3'), samples: [[2, '-1e16']] },
  ];
  assert.equal(evaluateAt60('sum by (app) (sum_over_time({app="a"} | logfmt | unwrap v [1m]))', streams), 1);
});

test('range windows: a series of one stream adds its samples as they come', () => {
  const one: StreamSamples[] = [{ labels: pod('1'), samples: [[1, '1e16'], [2, '-1e16'], [3, '1']] }];
  assert.equal(evaluateAt60('sum_over_time({app="a"} | logfmt | unwrap v [1m])', one), 1);
});
