import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyRetention, expiredChunkKeys, marksDue, minThroughNs, periodMayExpire,
} from '../../../../consumers/compactor/retention.js';
import { latestCutoffNs } from '../../../../consumers/compactor/stream-retention.js';
import { chunkKey, type IndexBundleInput } from '../../../../schemas/index/index.js';
import { periodStart, refOf, seriesOf } from '../../../helpers/index-bundles.js';

const DAY_MS = 86_400_000;

const cutoffCases = [
  { name: 'period 0 keeps forever', periodMs: 0, nowMs: 10 * DAY_MS, want: null },
  { name: 'one day', periodMs: DAY_MS, nowMs: 10 * DAY_MS, want: BigInt(9 * DAY_MS) * 1_000_000n },
  { name: 'fractional ms are floored', periodMs: 1000, nowMs: 5000.7, want: 4_000_000_000n },
];
for (const c of cutoffCases) {
  test(`latestCutoffNs without rules: ${c.name}`, () => assert.equal(latestCutoffNs([], c.periodMs, c.nowMs), c.want));
}

const P = 100;
const periodCases = [
  { name: 'no cutoff', period: P, cutoff: null, want: false },
  { name: 'period ends before the cutoff', period: P, cutoff: periodStart(P + 2), want: true },
  { name: 'cutoff inside the period', period: P, cutoff: periodStart(P) + 5n, want: true },
  { name: 'period starts at the cutoff', period: P, cutoff: periodStart(P), want: false },
  { name: 'period starts after the cutoff', period: P + 1, cutoff: periodStart(P), want: false },
];
for (const c of periodCases) {
  test(`periodMayExpire: ${c.name}`, () => assert.equal(periodMayExpire(c.period, c.cutoff), c.want));
}

const a = seriesOf({ app: 'a' });
const bSeries = seriesOf({ app: 'b' });
const input: IndexBundleInput = {
  period: P,
  tenant: 't',
  series: [a, bSeries],
  chunks: [refOf(a, 10n, 20n, 1), refOf(a, 30n, 40n, 2), refOf(bSeries, 5n, 15n, 3)],
};

const splitCases = [
  { name: 'no cutoff keeps everything', cutoff: null, keptRefs: [1, 2, 3], keptSeries: [a, bSeries], expired: [] as number[] },
  { name: 'cutoff before every ref', cutoff: 5n, keptRefs: [1, 2, 3], keptSeries: [a, bSeries], expired: [] },
  { name: 'a ref ending exactly at the cutoff is kept', cutoff: 15n, keptRefs: [1, 2, 3], keptSeries: [a, bSeries], expired: [] },
  { name: 'refs ending before the cutoff go; a series without refs goes with them', cutoff: 21n, keptRefs: [2], keptSeries: [a], expired: [1, 3] },
  { name: 'everything past retention', cutoff: 1000n, keptRefs: [], keptSeries: [], expired: [1, 2, 3] },
];
for (const c of splitCases) {
  test(`applyRetention: ${c.name}`, () => {
    const got = applyRetention(input, c.cutoff);
    assert.deepEqual(got.kept.chunks.map((r) => r.checksum), c.keptRefs);
    assert.deepEqual(got.kept.series, c.keptSeries);
    assert.deepEqual(got.expired.map((r) => r.checksum), c.expired);
    assert.equal(got.kept.period, P);
    assert.equal(got.kept.tenant, 't');
  });
}

test('expiredChunkKeys: object keys, each once, sorted', () => {
  const r1 = refOf(a, 10n, 20n, 1);
  const r3 = refOf(bSeries, 5n, 15n, 3);
  const got = expiredChunkKeys('t', [r3, r1, r3]);
  const want = [chunkKey({ tenant: 't', ...r1 }), chunkKey({ tenant: 't', ...r3 })].sort();
  assert.deepEqual(got, want);
});

test('minThroughNs: smallest through, null for none', () => {
  assert.equal(minThroughNs(input.chunks), 15n);
  assert.equal(minThroughNs([]), null);
});

const markCases = [
  { name: 'none', marks: [], nowMs: 100, delayMs: 10, want: [] as number[] },
  { name: 'only marks old enough, in mark order', marks: [95, 80, 90, 91], nowMs: 100, delayMs: 10, want: [80, 90] },
  { name: 'zero delay: every mark', marks: [100, 50], nowMs: 100, delayMs: 0, want: [50, 100] },
];
for (const c of markCases) {
  test(`marksDue: ${c.name}`, () => {
    const got = marksDue(c.marks.map((m) => ({ markedAtMs: m, id: `m${m}` })), c.nowMs, c.delayMs);
    assert.deepEqual(got.map((m) => m.markedAtMs), c.want);
  });
}
