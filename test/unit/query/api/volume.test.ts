/**
 * Index volume as Loki aggregates and shapes it: `L:pkg/storage/stores/shipper/indexshipper/tsdb/single_file_index.go`
 * (per series restricted to matched/target labels, or per label name), `L:pkg/storage/stores/index/seriesvolume/volume.go`
 * (top `limit`, ErrVolumeMaxSeriesHit), `L:pkg/querier/queryrange/volume.go` (buckets at their end,
 * vector vs matrix, ordering).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import { compileMatcher } from '../../../../query/logql/index.js';
import { aggregateVolumes, encodeVolumeResponse, volumeBuckets, type VolumeSpec } from '../../../../query/api/volume.js';

const L = labelsFromObject;
const streams = [
  { labels: L({ app: 'a', env: 'prod', pod: 'p1' }), bytes: 100, entries: 1 },
  { labels: L({ app: 'a', env: 'prod', pod: 'p2' }), bytes: 50, entries: 1 },
  { labels: L({ app: 'b', env: 'dev', pod: 'p3' }), bytes: 70, entries: 1 },
  { labels: L({ app: 'c', pod: 'p4' }), bytes: 10, entries: 0 },
];
const m = (name: string, value: string) => compileMatcher({ name, type: '=~', value });
const spec = (over: Partial<VolumeSpec>): VolumeSpec => ({ matchers: [], targetLabels: [], aggregateBy: 'series', limit: 100, maxSeries: 1000, ...over });

const cases: Array<{ name: string; spec: VolumeSpec; want: Array<{ name: string; volume: number }> }> = [
  { name: 'by series, restricted to the matched labels', spec: spec({ matchers: [m('app', '.+')] }), want: [{ name: '{app="a"}', volume: 150 }, { name: '{app="b"}', volume: 70 }] },
  { name: 'by series for {}: every label', spec: spec({}), want: [{ name: '{app="a", env="prod", pod="p1"}', volume: 100 }, { name: '{app="b", env="dev", pod="p3"}', volume: 70 }, { name: '{app="a", env="prod", pod="p2"}', volume: 50 }] },
  { name: 'target labels; streams without them are left out', spec: spec({ matchers: [m('app', '.+')], targetLabels: ['env'] }), want: [{ name: '{env="prod"}', volume: 150 }, { name: '{env="dev"}', volume: 70 }] },
  { name: 'by labels: every label name of the series', spec: spec({ aggregateBy: 'labels' }), want: [{ name: 'app', volume: 220 }, { name: 'env', volume: 220 }, { name: 'pod', volume: 220 }] },
  { name: 'top limit', spec: spec({ matchers: [m('app', '.+')], limit: 1 }), want: [{ name: '{app="a"}', volume: 150 }] },
];
for (const c of cases) test(`aggregateVolumes: ${c.name}`, () => assert.deepEqual(aggregateVolumes(streams, c.spec), c.want));

test('aggregateVolumes: past volume_max_series is Loki\'s error', () => {
  assert.throws(() => aggregateVolumes(streams, spec({ maxSeries: 1 })), (e: unknown) => e instanceof FjordError && e.message === 'the query hit the max number of series limit (limit: 1 series)');
});

test('volumeBuckets: aligned to the step, inclusive ends 1 ms apart, first keeps the start', () => {
  const s = 1_000_000_000n;
  assert.deepEqual(volumeBuckets(90n * s, 250n * s, 100n * s), [
    { startNs: 90n * s, endNs: 100n * s - 1_000_000n },
    { startNs: 100n * s, endNs: 200n * s - 1_000_000n },
    { startNs: 200n * s, endNs: 250n * s },
  ]);
  assert.deepEqual(volumeBuckets(5n, 9n, 0n), [{ startNs: 5n, endNs: 9n }]);
});

test('encodeVolumeResponse: one bucket is a vector, ordered by volume; several are a matrix', () => {
  const v = JSON.parse(encodeVolumeResponse([{ tsMs: 2000, volumes: [{ name: '{app="b"}', volume: 7 }, { name: '{app="a"}', volume: 9 }] }], 'series')) as { data: { resultType: string; result: unknown } };
  assert.equal(v.data.resultType, 'vector');
  assert.deepEqual(v.data.result, [{ metric: { app: 'a' }, value: [2, '9'] }, { metric: { app: 'b' }, value: [2, '7'] }]);
  const mx = JSON.parse(encodeVolumeResponse([{ tsMs: 1000, volumes: [{ name: 'app', volume: 1 }] }, { tsMs: 2000, volumes: [{ name: 'app', volume: 3 }] }], 'labels')) as { status: string; data: { resultType: string; result: unknown; stats: unknown } };
  assert.equal(mx.status, 'success');
  assert.equal(mx.data.resultType, 'matrix');
  assert.deepEqual(mx.data.result, [{ metric: { app: '' }, values: [[1, '1'], [2, '3']] }]);
  assert.ok(mx.data.stats !== undefined);
});
