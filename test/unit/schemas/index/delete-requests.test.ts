import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import {
  decodeDeleteRequest, deleteProcessedKey, deleteRequestKey, deleteRequestStatus, encodeDeleteRequest, groupDeleteRequestObjects,
  inDeleteInterval, newDeleteRequestId, parseDeleteRequestObjectKey, splitDeleteInterval, type DeleteRequest,
} from '../../../../schemas/index/index.js';

const S = 1000;
const SPLIT_CASES = [
  // Loki's TestForInterval cases (10 s interval, exclusive ends).
  { name: 'range smaller than the interval', start: 5 * S, end: 8 * S, interval: 10 * S, want: [[5 * S, 8 * S]] },
  { name: 'range equal to and aligned with the interval', start: 10 * S, end: 20 * S, interval: 10 * S, want: [[10 * S, 20 * S]] },
  { name: 'several pieces', start: 5 * S, end: 28 * S, interval: 10 * S, want: [[5 * S, 10 * S], [10 * S, 20 * S], [20 * S, 28 * S]] },
  { name: 'interval 0 does not split', start: 5 * S, end: 28 * S, interval: 0, want: [[5 * S, 28 * S]] },
] as const;

for (const c of SPLIT_CASES) {
  test(`splitDeleteInterval: ${c.name}`, () => {
    assert.deepEqual(splitDeleteInterval(c.start, c.end, c.interval).map((s) => [s.startMs, s.endMs]), c.want);
  });
}

const STATUS_CASES = [
  { processed: 0, total: 3, want: 'received' },
  { processed: 1, total: 3, want: '33% Complete' },
  { processed: 2, total: 3, want: '66% Complete' },
  { processed: 3, total: 3, want: 'processed' },
] as const;
for (const c of STATUS_CASES) {
  test(`deleteRequestStatus: ${c.processed} of ${c.total}`, () => assert.equal(deleteRequestStatus(c.processed, c.total), c.want));
}

test('inDeleteInterval: both millisecond ends are in', () => {
  const iv = { startMs: 1000, endMs: 2000 };
  assert.equal(inDeleteInterval(999_999_999n, iv), false);
  assert.equal(inDeleteInterval(1_000_000_000n, iv), true);
  assert.equal(inDeleteInterval(2_000_999_999n, iv), true);
  assert.equal(inDeleteInterval(2_001_000_000n, iv), false);
});

const REQUEST: DeleteRequest = {
  requestId: 'a1b2c3d4', tenant: 'team-a', query: '{app="x"} |= "secret"', startMs: 5000, endMs: 28000, createdAtMs: 30000,
  shards: splitDeleteInterval(5000, 28000, 10000),
};

test('delete requests round-trip through their body; bad bodies are index_corrupt', () => {
  assert.deepEqual(decodeDeleteRequest(encodeDeleteRequest(REQUEST)), REQUEST);
  for (const bad of ['nope', '{}', JSON.stringify({ format: 'fjord-delete-request-1', request_id: 'x' })]) {
    assert.throws(() => decodeDeleteRequest(new TextEncoder().encode(bad)), (e) => e instanceof FjordError && e.code === 'index_corrupt');
  }
});

test('delete request keys parse back; other keys are not theirs', () => {
  assert.deepEqual(parseDeleteRequestObjectKey(deleteRequestKey('team-a', 'a1b2c3d4')), { kind: 'request', tenant: 'team-a', requestId: 'a1b2c3d4' });
  assert.deepEqual(parseDeleteRequestObjectKey(deleteProcessedKey('team-a', 'a1b2c3d4', 2)), { kind: 'processed', tenant: 'team-a', requestId: 'a1b2c3d4', shard: 2 });
  assert.equal(parseDeleteRequestObjectKey('compactor/retention-marks/0000000000001-x'), null);
  assert.throws(() => deleteRequestKey('team/a', 'a1b2c3d4'), FjordError);
  assert.throws(() => deleteRequestKey('team-a', 'XYZ'), FjordError);
});

test('groupDeleteRequestObjects: a request with its processed pieces', () => {
  const got = groupDeleteRequestObjects([
    { key: deleteRequestKey('t', 'a1b2c3d4'), lastModifiedMs: 1 },
    { key: deleteProcessedKey('t', 'a1b2c3d4', 1), lastModifiedMs: 5 },
    { key: deleteProcessedKey('t', '00000001', 0), lastModifiedMs: 7 },
    { key: 'index/1/t/b', lastModifiedMs: 9 },
  ]);
  assert.deepEqual(got.map((g) => [g.requestId, g.requestKey !== null, [...g.processed]]), [['a1b2c3d4', true, [[1, 5]]], ['00000001', false, [[0, 7]]]]);
});

test('newDeleteRequestId: 8 hex digits, different for another time', () => {
  const a = newDeleteRequestId('t', '{a="b"}', 1n);
  assert.match(a, /^[0-9a-f]{8}$/);
  assert.notEqual(a, newDeleteRequestId('t', '{a="b"}', 2n));
});
