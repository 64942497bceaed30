import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundleObjects, planCompaction, type BundleObject, type CompactionJob, type PlanOptions } from '../../../../consumers/compactor/compaction-plan.js';

const DAY_MS = 86_400_000;
const MIN = 60_000;
const P = 20_000; // the current period in these cases
const NOW = P * DAY_MS + 12 * 3_600_000; // noon of period P

function b(period: number, tenant: string, id: string, ageMs: number): BundleObject {
  return { key: `index/${period}/${tenant}/${id}`, period, tenant, lastModifiedMs: NOW - ageMs };
}

function opts(over: Partial<PlanOptions> = {}): PlanOptions {
  return {
    nowMs: NOW,
    minBundleAgeMs: 5 * MIN,
    maxBundlesPerJob: 1000,
    retentionCutoffNs: () => null,
    minThroughNs: () => undefined,
    ...over,
  };
}

const keys = (period: number, tenant: string, ...ids: string[]) => ids.map((id) => `index/${period}/${tenant}/${id}`).sort();

const cases: Array<{ name: string; bundles: BundleObject[]; opts: PlanOptions; want: CompactionJob[] }> = [
  { name: 'nothing listed', bundles: [], opts: opts(), want: [] },
  { name: 'one bundle per table: nothing to merge', bundles: [b(P - 1, 't', 'a', DAY_MS), b(P - 1, 'u', 'a', DAY_MS)], opts: opts(), want: [] },
  {
    name: 'several bundles of a past period are merged',
    bundles: [b(P - 1, 't', 'a', DAY_MS), b(P - 1, 't', 'b', 1000), b(P - 1, 't', 'c', 2 * DAY_MS)],
    opts: opts(),
    want: [{ kind: 'merge', period: P - 1, tenant: 't', inputs: keys(P - 1, 't', 'a', 'b', 'c') }],
  },
  {
    name: 'young bundles of the current period wait; old ones are merged',
    bundles: [b(P, 't', 'old1', 30 * MIN), b(P, 't', 'old2', 10 * MIN), b(P, 't', 'young', MIN)],
    opts: opts(),
    want: [{ kind: 'merge', period: P, tenant: 't', inputs: keys(P, 't', 'old1', 'old2') }],
  },
  {
    name: 'one old and one young bundle of the current period: nothing yet',
    bundles: [b(P, 't', 'old', 30 * MIN), b(P, 't', 'young', MIN)],
    opts: opts(),
    want: [],
  },
  {
    name: 'a young bundle of a past period is merged (only the current period waits)',
    bundles: [b(P - 1, 't', 'a', DAY_MS), b(P - 1, 't', 'late', 1000)],
    opts: opts(),
    want: [{ kind: 'merge', period: P - 1, tenant: 't', inputs: keys(P - 1, 't', 'a', 'late') }],
  },
  {
    name: 'tables are separate per tenant and period, sorted by period then tenant',
    bundles: [b(P - 1, 'u', 'a', DAY_MS), b(P - 1, 'u', 'b', DAY_MS), b(P - 2, 't', 'a', DAY_MS), b(P - 2, 't', 'b', DAY_MS), b(P - 1, 't', 'a', DAY_MS)],
    opts: opts(),
    want: [
      { kind: 'merge', period: P - 2, tenant: 't', inputs: keys(P - 2, 't', 'a', 'b') },
      { kind: 'merge', period: P - 1, tenant: 'u', inputs: keys(P - 1, 'u', 'a', 'b') },
    ],
  },
  {
    name: 'at most maxBundlesPerJob bundles, the oldest first',
    bundles: [b(P - 1, 't', 'a', 3000), b(P - 1, 't', 'b', 1000), b(P - 1, 't', 'c', 2000)],
    opts: opts({ maxBundlesPerJob: 2 }),
    want: [{ kind: 'merge', period: P - 1, tenant: 't', inputs: keys(P - 1, 't', 'a', 'c') }],
  },
  {
    name: 'retention: a single bundle of a period before the cutoff is rewritten',
    bundles: [b(P - 40, 't', 'a', 40 * DAY_MS)],
    opts: opts({ retentionCutoffNs: (t) => (t === 't' ? BigInt(NOW - 30 * DAY_MS) * 1_000_000n : null) }),
    want: [{ kind: 'retention', period: P - 40, tenant: 't', inputs: keys(P - 40, 't', 'a'), cutoffNs: BigInt(NOW - 30 * DAY_MS) * 1_000_000n }],
  },
  {
    name: 'retention: periods starting after the cutoff are only merged',
    bundles: [b(P - 10, 't', 'a', DAY_MS), b(P - 10, 't', 'b', DAY_MS)],
    opts: opts({ retentionCutoffNs: () => BigInt(NOW - 30 * DAY_MS) * 1_000_000n }),
    want: [{ kind: 'merge', period: P - 10, tenant: 't', inputs: keys(P - 10, 't', 'a', 'b') }],
  },
  {
    name: 'retention: a tenant that keeps data forever is only merged',
    bundles: [b(P - 40, 'keep', 'a', DAY_MS), b(P - 40, 'keep', 'b', DAY_MS), b(P - 40, 'short', 'a', DAY_MS)],
    opts: opts({ retentionCutoffNs: (t) => (t === 'short' ? BigInt(NOW - 30 * DAY_MS) * 1_000_000n : null) }),
    want: [
      { kind: 'merge', period: P - 40, tenant: 'keep', inputs: keys(P - 40, 'keep', 'a', 'b') },
      { kind: 'retention', period: P - 40, tenant: 'short', inputs: keys(P - 40, 'short', 'a'), cutoffNs: BigInt(NOW - 30 * DAY_MS) * 1_000_000n },
    ],
  },
  {
    name: 'retention: a bundle known to hold only refs after the cutoff is left alone',
    bundles: [b(P - 30, 't', 'a', DAY_MS)],
    opts: opts({ retentionCutoffNs: () => 100n, minThroughNs: () => 200n }),
    want: [],
  },
  {
    name: 'retention: a bundle known to hold a ref before the cutoff is rewritten',
    bundles: [b(P - 30, 't', 'a', DAY_MS)],
    opts: opts({ retentionCutoffNs: () => BigInt(NOW) * 1_000_000n, minThroughNs: () => 1n }),
    want: [{ kind: 'retention', period: P - 30, tenant: 't', inputs: keys(P - 30, 't', 'a'), cutoffNs: BigInt(NOW) * 1_000_000n }],
  },
];

for (const c of cases) {
  test(`planCompaction: ${c.name}`, () => assert.deepEqual(planCompaction(c.bundles, c.opts), c.want));
}

test('bundleObjects: keeps index bundle keys, ignores the rest', () => {
  const got = bundleObjects([
    { key: 'index/19000/t/abc', sizeBytes: 1, lastModifiedMs: 5 },
    { key: 'index/19000/t', sizeBytes: 1, lastModifiedMs: 5 },
    { key: 'index/notaperiod/t/x', sizeBytes: 1, lastModifiedMs: 5 },
    { key: 'index/19000/t/a/b', sizeBytes: 1, lastModifiedMs: 5 },
  ]);
  assert.deepEqual(got, [{ key: 'index/19000/t/abc', period: 19000, tenant: 't', lastModifiedMs: 5 }]);
});
