/** Pattern sample chunks: buckets, chunk age, step re-bucketing, pruning (Loki's drain chunk.go). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PatternSamples } from '../../../../consumers/patterns/index.js';

function samples(ts: readonly number[], maxChunkAgeMs = 3_600_000): PatternSamples {
  const s = new PatternSamples(maxChunkAgeMs, 10_000);
  for (const t of ts) s.add(t);
  return s;
}

const cases = [
  { name: 'same bucket counts up', ts: [0, 1, 9_999], from: 0, through: 60_000, step: 10_000, want: [[0, 3]] },
  { name: 'a line older than the newest bucket is not counted', ts: [20_000, 5_000, 21_000], from: 0, through: 60_000, step: 10_000, want: [[20_000, 2]] },
  { name: 'range is [from, through)', ts: [0, 10_000, 20_000], from: 10_000, through: 20_000, step: 10_000, want: [[10_000, 1]] },
  { name: 'a wider step sums buckets and fills gaps with 0', ts: [0, 10_000, 70_000, 200_000], from: 0, through: 300_000, step: 60_000, want: [[0, 2], [60_000, 1], [120_000, 0], [180_000, 1]] },
  { name: 'a new chunk after max_chunk_age', ts: [0, 30_000, 70_000], max: 60_000, from: 0, through: 300_000, step: 60_000, want: [[0, 2], [60_000, 1]] },
];

for (const c of cases) {
  test(`PatternSamples: ${c.name}`, () => {
    const got = samples(c.ts, c.max).range(c.from, c.through, c.step).map((s) => [s.tsMs, s.value]);
    assert.deepEqual(got, c.want);
  });
}

test('PatternSamples: prune drops chunks whose newest bucket is older than retain_for', () => {
  const s = samples([0, 30_000, 70_000], 60_000);
  assert.equal(s.prune(70_000 + 3_600_000, 3_600_000), false);
  assert.equal(s.total, 1);
  assert.equal(s.prune(80_000 + 3_600_000, 3_600_000), true);
});
