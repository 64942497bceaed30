import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshness } from '../../../../query/querier/freshness.js';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

test('freshness: caught-up partitions are 0 s behind and fresh until now', () => {
  const f = freshness('t', [{ partition: 1, end: 5 }, { partition: 0, end: 10 }], new Map([
    [0, [{ zone: 'a', owner: 'x', consumed: 10, end: 10, lastRecordMs: NOW - 60_000 }]],
    [1, [{ zone: 'a', owner: 'y', consumed: 5, end: 5, lastRecordMs: null }]],
  ]), NOW);
  assert.equal(f.behind_seconds, 0);
  assert.equal(f.fresh_until, new Date(NOW).toISOString());
  assert.deepEqual(f.partitions.map((p) => [p.partition, p.consumed_offset, p.lag_records, p.behind_seconds]), [[0, 10, 0, 0], [1, 5, 0, 0]]);
});

test('freshness: a partition counts its slowest owner; behind is the age of the last record consumed', () => {
  const f = freshness('t', [{ partition: 0, end: 100 }], new Map([
    [0, [
      { zone: 'a', owner: 'x', consumed: 100, end: 100, lastRecordMs: NOW - 1000 },
      { zone: 'b', owner: 'y', consumed: 90, end: 95, lastRecordMs: NOW - 2500 },
    ]],
  ]), NOW);
  assert.deepEqual(f.partitions[0], { partition: 0, end_offset: 100, consumed_offset: 90, lag_records: 10, behind_seconds: 2.5 });
  assert.equal(f.behind_seconds, 2.5);
  assert.equal(f.fresh_until, new Date(NOW - 2500).toISOString());
});

test('freshness: unknown while a partition has no owner, or its owner has consumed nothing and records wait', () => {
  const noOwner = freshness('t', [{ partition: 0, end: 3 }], new Map(), NOW);
  assert.equal(noOwner.behind_seconds, null);
  assert.equal(noOwner.fresh_until, null);
  assert.equal(noOwner.partitions[0]?.consumed_offset, null);
  const fresh = freshness('t', [{ partition: 0, end: 3 }], new Map([[0, [{ zone: 'a', owner: 'x', consumed: 0, end: 3, lastRecordMs: null }]]]), NOW);
  assert.equal(fresh.partitions[0]?.behind_seconds, null);
  assert.equal(fresh.partitions[0]?.lag_records, 3);
});
