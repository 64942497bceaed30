/**
 * Range windows: a sample at t belongs to steps s with s - range < t <= s (Loki range_vector.go).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
    w.add(BigInt(c.ts) * S, series, 1);
    assert.deepEqual([0, 1, 2].map((k) => w.vectorAt(k)[0]?.value ?? 0), c.steps);
  });
}

test('range windows: overlapping range counts a sample in every covering step', () => {
  const w = new RangeWindows('count_over_time', null, false, 60n * S, 0n, 60n * S, 15n * S, 5);
  w.add(70n * S, series, 1);
  assert.deepEqual([0, 1, 2, 3, 4].map((k) => w.vectorAt(k)[0]?.value ?? 0), [0, 1, 1, 1, 1]);
});
