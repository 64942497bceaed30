import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateSelectionLength } from '../../../../query/engine/selection-limits.js';

const H = 3_600_000;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const cases = [
  { name: 'within the limit', from: 0, to: 721 * H, limits: [721 * H], want: null },
  { name: 'one year against 30d1h', from: 0, to: 8760 * H, limits: [721 * H], want: 'the query time range exceeds the limit (query length: 8760h0m0s, limit: 30d1h)' },
  { name: '0 disables', from: 0, to: 8760 * H, limits: [0], want: null },
  { name: 'the smallest positive limit of several tenants', from: 0, to: 2 * H, limits: [0, 3 * H, H], want: 'the query time range exceeds the limit (query length: 2h0m0s, limit: 1h)' },
];
for (const c of cases) {
  test(`validateSelectionLength: ${c.name}`, () => {
    let got: string | null = null;
    try {
      validateSelectionLength(ns(c.from), ns(c.to), c.limits);
    } catch (err) {
      got = (err as Error).message;
    }
    assert.equal(got, c.want);
  });
}
