import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimestampChains } from '../../../../consumers/ingester/timestamp-chains.js';

/** Every position a chain walk from `ts` visits. */
function walk(chains: TimestampChains, ts: bigint): number[] {
  const out: number[] = [];
  for (let i = chains.first(ts); i >= 0; i = chains.next(i)) out.push(i);
  return out;
}

test('every position with a timestamp is on its chain, latest first, across growth', () => {
  const T = 1_714_564_800_000_000_000n;
  const tsNs: bigint[] = [];
  const chains = new TimestampChains();
  for (let i = 0; i < 5000; i++) {
    tsNs.push(T + BigInt((i * 7919) % 1000) * 1_000_000n);
    chains.add(i, tsNs);
  }
  assert.equal(chains.count, 5000);
  for (const probe of [0, 1, 999, 500]) {
    const ts = T + BigInt(probe) * 1_000_000n;
    const want = tsNs.flatMap((t, i) => (t === ts ? [i] : [])).reverse();
    const got = walk(chains, ts).filter((i) => tsNs[i] === ts);
    assert.deepEqual(got, want);
  }
  assert.deepEqual(walk(chains, T - 1n).filter((i) => tsNs[i] === T - 1n), []);
});

test('positions must be added in order', () => {
  const chains = new TimestampChains();
  assert.throws(() => chains.add(1, [1n, 2n]), RangeError);
});
