/**
 * Splitting as Loki's frontend does (`L:pkg/util/time.go` ForInterval, `L:pkg/querier/queryrange/splitters.go`
 * metricQuerySplitter): table cases, and properties over random ranges — log pieces tile the
 * range without overlap on interval boundaries; every step of a metric query is in exactly one
 * piece.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignToStep, metricPieceRequestRange, splitByInterval, splitMetricRange, stepsOf } from '../../../../query/frontend/split.js';
import { randomInt, seededRandom } from '../../../helpers/random.js';

const M = 60_000_000_000n;
const H = 60n * M;

test('splitByInterval: Loki\'s ForInterval, first piece keeps the start, cut at multiples of the interval', () => {
  assert.deepEqual(splitByInterval(30n * M, 150n * M, H), [
    { startNs: 30n * M, endNs: H },
    { startNs: H, endNs: 2n * H },
    { startNs: 2n * H, endNs: 150n * M },
  ]);
  assert.deepEqual(splitByInterval(0n, 10n, 0n), [{ startNs: 0n, endNs: 10n }]);
  assert.deepEqual(splitByInterval(5n, 5n, H), [{ startNs: 5n, endNs: 5n }]);
});

test('splitByInterval with inclusive ends: 1 ms between pieces', () => {
  assert.deepEqual(splitByInterval(30n * M, 150n * M, H, true), [
    { startNs: 30n * M, endNs: H - 1_000_000n },
    { startNs: H, endNs: 2n * H - 1_000_000n },
    { startNs: 2n * H, endNs: 150n * M },
  ]);
});

test('alignToStep: start down, end up', () => {
  assert.deepEqual(alignToStep(65n, 131n, 10n), { startNs: 60n, endNs: 140n });
  assert.deepEqual(alignToStep(60n, 140n, 10n), { startNs: 60n, endNs: 140n });
});

test('splitMetricRange: pieces end at the last step before each interval boundary', () => {
  const step = 15n * M;
  assert.deepEqual(splitMetricRange(30n * M, 150n * M, step, H, 5n * M), [
    { startNs: 30n * M, endNs: 45n * M },
    { startNs: H, endNs: 105n * M },
    { startNs: 2n * H, endNs: 150n * M },
  ]);
});

test('splitMetricRange: the interval is raised to the largest range of the query', () => {
  assert.deepEqual(splitMetricRange(0n, 4n * H, H, H / 2n, 2n * H).length, 2);
});

test('splitMetricRange: a step at least the interval gives one piece per step', () => {
  assert.deepEqual(splitMetricRange(0n, 3n * H, 2n * H, H, 0n), [{ startNs: 0n, endNs: 0n }, { startNs: 2n * H, endNs: 2n * H }]);
});

test('metricPieceRequestRange: a single-step piece stays a range query', () => {
  assert.deepEqual(metricPieceRequestRange({ startNs: 100n, endNs: 100n }, 10n), { startNs: 100n, endNs: 109n });
  assert.deepEqual(metricPieceRequestRange({ startNs: 100n, endNs: 120n }, 10n), { startNs: 100n, endNs: 120n });
});

test('property: log pieces tile [start, end) with no overlap, cut only at interval multiples', () => {
  const rand = seededRandom(7);
  for (let i = 0; i < 500; i++) {
    const start = BigInt(randomInt(rand, 0, 10_000_000));
    const end = start + BigInt(randomInt(rand, 1, 5_000_000));
    const interval = BigInt(randomInt(rand, 1, 2_000_000));
    const pieces = splitByInterval(start, end, interval);
    assert.equal(pieces[0]?.startNs, start);
    assert.equal(pieces[pieces.length - 1]?.endNs, end);
    for (let k = 0; k < pieces.length; k++) {
      const p = pieces[k] as { startNs: bigint; endNs: bigint };
      assert.ok(p.startNs < p.endNs);
      assert.equal((p.startNs === start ? p.startNs - (p.startNs % interval) : p.startNs) % interval, 0n);
      assert.equal(p.startNs / interval, (p.endNs - 1n) / interval, 'a piece stays within one interval');
      if (k > 0) assert.equal(p.startNs, (pieces[k - 1] as { endNs: bigint }).endNs);
    }
  }
});

test('property: every step of a metric query is evaluated in exactly one piece', () => {
  const rand = seededRandom(11);
  for (let i = 0; i < 500; i++) {
    const step = BigInt(randomInt(rand, 1, 500));
    const rawStart = BigInt(randomInt(rand, 0, 100_000));
    const rawEnd = rawStart + BigInt(randomInt(rand, 0, 50_000));
    const interval = BigInt(randomInt(rand, 1, 5_000));
    const maxRange = BigInt(randomInt(rand, 0, 3_000));
    const aligned = alignToStep(rawStart, rawEnd, step);
    const pieces = splitMetricRange(aligned.startNs, aligned.endNs, step, interval, maxRange);
    const steps = pieces.flatMap((p) => stepsOf(metricPieceRequestRange(p, step), step));
    const want = stepsOf(aligned, step);
    assert.deepEqual(steps, want, `step=${step} start=${aligned.startNs} end=${aligned.endNs} interval=${interval}`);
    for (const p of pieces) assert.equal((p.startNs - aligned.startNs) % step, 0n);
  }
});
