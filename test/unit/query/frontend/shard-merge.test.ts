/** Merging the shards of a metric piece: sum/max/min of equal (labels, time), the rate divisor, order and max series. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { labelsFromObject as L } from '../../../../schemas/labels/index.js';
import type { MetricResult } from '../../../../query/logql/index.js';
import { mergeShards } from '../../../../query/frontend/shard-merge.js';

const matrix = (...series: Array<[Record<string, string>, Array<[number, number]>]>): MetricResult => ({
  resultType: 'matrix',
  result: series.map(([m, values]) => ({ metric: L(m), values })),
});
const vector = (...samples: Array<[Record<string, string>, number]>): MetricResult => ({
  resultType: 'vector',
  result: samples.map(([m, value]) => ({ metric: L(m), tsMs: 5000, value })),
});
const WARNING = 'maximum number of series (2) reached for a single query; returning partial results';

const cases = [
  {
    name: 'sum: a series in two shards (labels collide after the pipeline) is added up per timestamp',
    results: [matrix([{ a: '1' }, [[1, 2], [2, 3]]]), matrix([{ a: '1' }, [[2, 4], [3, 1]]], [{ a: '0' }, [[1, 1]]])],
    plan: { merge: 'sum', divisor: null }, maxSeries: 0,
    want: matrix([{ a: '0' }, [[1, 1]]], [{ a: '1' }, [[1, 2], [2, 7], [3, 1]]]),
  },
  {
    name: 'sum then divide: a rate is the total count over the range, not a sum of rounded shard rates',
    results: [vector([{ a: '1' }, 1]), vector([{ a: '1' }, 2])],
    plan: { merge: 'sum', divisor: 60 }, maxSeries: 0,
    want: vector([{ a: '1' }, 3 / 60]),
  },
  {
    name: 'max: the largest, NaN giving way to a number',
    results: [vector([{ a: '1' }, NaN], [{ a: '2' }, 5], [{ a: '3' }, NaN]), vector([{ a: '1' }, 3], [{ a: '2' }, 7]), vector([{ a: '2' }, -1])],
    plan: { merge: 'max', divisor: null }, maxSeries: 0,
    want: vector([{ a: '1' }, 3], [{ a: '2' }, 7], [{ a: '3' }, NaN]),
  },
  {
    name: 'min: the smallest',
    results: [matrix([{ a: '1' }, [[1, 4], [2, NaN]]]), matrix([{ a: '1' }, [[1, 2], [2, 9]]])],
    plan: { merge: 'min', divisor: null }, maxSeries: 0,
    want: matrix([{ a: '1' }, [[1, 2], [2, 9]]]),
  },
  {
    name: 'series in the evaluator\'s order: a label set sorts before its extensions',
    results: [vector([{ a: '1', b: '2' }, 1]), vector([{ a: '1' }, 1], [{ a: '0', z: '1' }, 1])],
    plan: { merge: 'sum', divisor: null }, maxSeries: 0,
    want: vector([{ a: '0', z: '1' }, 1], [{ a: '1' }, 1], [{ a: '1', b: '2' }, 1]),
  },
  {
    name: 'max series, a Logs Drilldown request: the first in order are kept, with Loki\'s warning',
    results: [vector([{ a: '3' }, 1], [{ a: '1' }, 1]), vector([{ a: '2' }, 1], [{ a: '1' }, 1])],
    plan: { merge: 'sum', divisor: null }, maxSeries: 2, drilldown: true,
    want: vector([{ a: '1' }, 2], [{ a: '2' }, 1]), warnings: [WARNING],
  },
  {
    name: 'max series not reached: no warning',
    results: [matrix([{ a: '1' }, [[1, 1]]]), matrix([{ a: '2' }, [[1, 1]]])],
    plan: { merge: 'sum', divisor: null }, maxSeries: 2,
    want: matrix([{ a: '1' }, [[1, 1]]], [{ a: '2' }, [[1, 1]]]),
  },
  {
    name: 'no samples in any shard',
    results: [vector(), vector()],
    plan: { merge: 'sum', divisor: 60 }, maxSeries: 2,
    want: vector(),
  },
] as const;

for (const c of cases) {
  test(`mergeShards: ${c.name}`, () => {
    const got = mergeShards(c.results, c.plan, c.maxSeries, 'drilldown' in c ? c.drilldown : false);
    assert.deepEqual(got.result, c.want);
    assert.deepEqual(got.warnings, 'warnings' in c ? c.warnings : []);
  });
}

test('mergeShards: past max_query_series, a request not from Logs Drilldown is Loki\'s 400', () => {
  const results = [vector([{ a: '3' }, 1], [{ a: '1' }, 1]), vector([{ a: '2' }, 1])];
  assert.throws(() => mergeShards(results, { merge: 'sum', divisor: null }, 2), (e: unknown) =>
    e instanceof FjordError && e.code === 'bad_request' && e.message.startsWith('maximum number of series (2) reached for a single query; consider reducing query cardinality'));
});

test('mergeShards: a scalar or results of different types are an internal error', () => {
  const internal = (e: unknown) => e instanceof FjordError && e.code === 'internal';
  assert.throws(() => mergeShards([{ resultType: 'scalar', result: { tsMs: 1, value: 1 } }], { merge: 'sum', divisor: null }, 0), internal);
  assert.throws(() => mergeShards([vector(), matrix()], { merge: 'sum', divisor: null }, 0), internal);
  assert.throws(() => mergeShards([], { merge: 'sum', divisor: null }, 0), internal);
});
