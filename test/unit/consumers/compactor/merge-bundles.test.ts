import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compactTable, compactedBundleId } from '../../../../consumers/compactor/merge-bundles.js';
import { isFjordError } from '../../../../schemas/index.js';
import { chunkKey, openIndexBundle } from '../../../../schemas/index/index.js';
import { bundleOf, chunkKeysOf, refOf, seriesOf } from '../../../helpers/index-bundles.js';

const P = 19_000;
const a = seriesOf({ app: 'a', env: 'prod' });
const b = seriesOf({ app: 'b' });
const c = seriesOf({ app: 'c' });
const r = {
  a1: refOf(a, 100n, 200n, 1),
  a2: refOf(a, 300n, 400n, 2),
  b1: refOf(b, 150n, 250n, 3),
  c1: refOf(c, 50n, 60n, 4),
};
const key = (ref: typeof r.a1) => chunkKey({ tenant: 't', ...ref });

const cases = [
  {
    name: 'two bundles, disjoint refs: the union',
    bundles: [bundleOf(P, 't', [a, b], [r.a1, r.b1]), bundleOf(P, 't', [a], [r.a2])],
    cutoff: null,
    want: { keys: [r.a1, r.a2, r.b1].map(key).sort(), refsIn: 3, refsOut: 3, expired: [] as string[], series: 2 },
  },
  {
    name: 'overlapping bundles: duplicates dropped',
    bundles: [bundleOf(P, 't', [a, b], [r.a1, r.b1]), bundleOf(P, 't', [a, b], [r.a1, r.b1, r.a2])],
    cutoff: null,
    want: { keys: [r.a1, r.a2, r.b1].map(key).sort(), refsIn: 5, refsOut: 3, expired: [], series: 2 },
  },
  {
    name: 'retention drops old refs and the series left without refs',
    bundles: [bundleOf(P, 't', [a, c], [r.a1, r.c1]), bundleOf(P, 't', [a, c], [r.a2, r.c1])],
    cutoff: 250n,
    want: { keys: [key(r.a2)], refsIn: 4, refsOut: 1, expired: [key(r.a1), key(r.c1)].sort(), series: 1 },
  },
];

for (const tc of cases) {
  test(`compactTable: ${tc.name}`, () => {
    const out = compactTable(tc.bundles, tc.cutoff);
    assert.ok(out.bytes);
    assert.deepEqual(chunkKeysOf(out.bytes), tc.want.keys);
    assert.equal(out.refsIn, tc.want.refsIn);
    assert.equal(out.refsOut, tc.want.refsOut);
    assert.deepEqual(out.expiredChunks, tc.want.expired);
    assert.equal(openIndexBundle(out.bytes).seriesCount, tc.want.series);
  });
}

test('compactTable: a table entirely past retention leaves no bundle', () => {
  const out = compactTable([bundleOf(P, 't', [a, b], [r.a1, r.b1])], 10_000n);
  assert.equal(out.bytes, null);
  assert.equal(out.refsOut, 0);
  assert.equal(out.refsExpired, 2);
  assert.deepEqual(out.expiredChunks, [key(r.a1), key(r.b1)].sort());
  assert.equal(out.minThroughNs, null);
});

test('compactTable: the result does not depend on the order of the inputs', () => {
  const x = bundleOf(P, 't', [a, b], [r.a1, r.b1]);
  const y = bundleOf(P, 't', [a, c], [r.a2, r.c1]);
  assert.deepEqual(compactTable([x, y], null).bytes, compactTable([y, x], null).bytes);
  assert.deepEqual(compactTable([x, y], 120n).bytes, compactTable([y, x], 120n).bytes);
});

test('compactTable: bundles of different tables are refused', () => {
  assert.throws(() => compactTable([bundleOf(P, 't', [a], [r.a1]), bundleOf(P + 1, 't', [a], [r.a1])], null), (e) => isFjordError(e, 'invalid_argument'));
  assert.throws(() => compactTable([bundleOf(P, 't', [a], [r.a1]), bundleOf(P, 'u', [a], [r.a1])], 1n), (e) => isFjordError(e, 'invalid_argument'));
  assert.throws(() => compactTable([], null), (e) => isFjordError(e, 'invalid_argument'));
});

test('compactedBundleId: names the time and the inputs, in any order', () => {
  const id = compactedBundleId(1234, ['index/1/t/b', 'index/1/t/a']);
  assert.match(id, /^compacted-1234-[0-9a-f]{16}$/);
  assert.equal(id, compactedBundleId(1234, ['index/1/t/a', 'index/1/t/b']));
  assert.notEqual(id, compactedBundleId(1235, ['index/1/t/a', 'index/1/t/b']));
  assert.notEqual(id, compactedBundleId(1234, ['index/1/t/a']));
});
