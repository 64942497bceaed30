import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCancel, deleteRequestsJson, newDeleteRequest, parseDeleteTime } from '../../../../consumers/compactor/delete-api.js';
import { FjordError } from '../../../../schemas/index.js';
import { compileLogSelector } from '../../../../query/logql/index.js';

const NOW = 1_796_282_115_000;
const ctx = { tenant: 't1', nowMs: NOW, nowNs: BigInt(NOW) * 1_000_000n, maxIntervalMs: 24 * 3_600_000, compile: compileLogSelector };
const params = (p: Record<string, string>) => new URLSearchParams(p);
const HOUR_S = 3600;
const nowS = NOW / 1000;

// Messages and order as Loki's request_handler.go (checked against Loki 3 answering the same requests).
const BAD = [
  { name: 'no query', p: { start: String(nowS - HOUR_S) }, msg: 'query not set' },
  { name: 'not a log query', p: { query: 'rate({app="x"}[1m])', start: String(nowS - HOUR_S) }, msg: 'invalid query expression' },
  { name: 'no start', p: { query: '{app="x"}' }, msg: 'start time not set' },
  { name: 'start in ms', p: { query: '{app="x"}', start: String(NOW) }, msg: 'invalid start time: require unix seconds or RFC3339 format' },
  { name: 'fractional start', p: { query: '{app="x"}', start: `${nowS - HOUR_S}.5` }, msg: 'invalid start time: require unix seconds or RFC3339 format' },
  { name: 'bad end', p: { query: '{app="x"}', start: String(nowS - HOUR_S), end: 'x' }, msg: 'invalid end time: require unix seconds or RFC3339 format' },
  { name: 'end in the future', p: { query: '{app="x"}', start: String(nowS - HOUR_S), end: String(nowS + 1000) }, msg: 'deletes in the future are not allowed' },
  { name: 'start equal to end', p: { query: '{app="x"}', start: String(nowS - HOUR_S), end: String(nowS - HOUR_S) }, msg: "start time can't be greater than or equal to end time" },
  { name: 'max_interval over the limit', p: { query: '{app="x"} |= "a"', start: String(nowS - HOUR_S), max_interval: '48h' }, msg: "max_interval can't be greater than 24h0m0s" },
  { name: 'max_interval over the range', p: { query: '{app="x"} |= "a"', start: String(nowS - HOUR_S), max_interval: '2h' }, msg: "max_interval can't be greater than the interval to be deleted (1h0m0s)" },
  { name: 'max_interval not a duration', p: { query: '{app="x"} |= "a"', start: String(nowS - HOUR_S), max_interval: 'x' }, msg: "invalid max_interval: valid time units are 's', 'm', 'h'" },
  { name: 'max_interval under a second', p: { query: '{app="x"} |= "a"', start: String(nowS - HOUR_S), max_interval: '10ms' }, msg: "invalid max_interval: valid time units are 's', 'm', 'h'" },
] as const;
for (const c of BAD) {
  test(`newDeleteRequest: ${c.name}`, () => {
    assert.throws(() => newDeleteRequest(params(c.p), ctx), (e) => e instanceof FjordError && e.code === 'bad_request' && e.message === c.msg);
  });
}

test('newDeleteRequest: without a line filter one piece, end defaults to now', () => {
  const r = newDeleteRequest(params({ query: '{app="x"}', start: String(nowS - 200_000) }), ctx);
  assert.deepEqual(r.shards, [{ startMs: NOW - 200_000_000, endMs: NOW }]);
  assert.equal(r.endMs, NOW);
  assert.match(r.requestId, /^[0-9a-f]{8}$/);
});

test('newDeleteRequest: a line filter splits by delete_max_interval, or by a shorter max_interval', () => {
  const long = newDeleteRequest(params({ query: '{app="x"} |= "secret"', start: String(nowS - 200_000) }), ctx);
  assert.equal(long.shards[0]?.startMs, NOW - 200_000_000);
  assert.equal(long.shards.at(-1)?.endMs, NOW);
  for (const [i, s] of long.shards.entries()) {
    assert.ok(s.endMs - s.startMs <= 24 * 3_600_000, 'at most delete_max_interval');
    if (i > 0) assert.equal(s.startMs, long.shards[i - 1]?.endMs, 'contiguous, sharing the boundary');
    if (i > 0) assert.equal(s.startMs % (24 * 3_600_000), 0, 'aligned to the interval');
  }
  const short = newDeleteRequest(params({ query: '{app="x"} |= "secret"', start: String(nowS - 3 * HOUR_S), max_interval: '1h' }), ctx);
  assert.ok(short.shards.length >= 3 && short.shards.every((s) => s.endMs - s.startMs <= 3_600_000));
});

test('parseDeleteTime: RFC3339 (with a fraction) and 10-digit unix seconds', () => {
  assert.equal(parseDeleteTime('2026-12-02T00:00:00.5Z', NOW), Date.UTC(2026, 11, 2, 0, 0, 0, 500));
  assert.equal(parseDeleteTime('1796278515', NOW), 1_796_278_515_000);
  assert.equal(parseDeleteTime('', NOW), NOW);
  assert.equal(parseDeleteTime('179627851', NOW), null);
});

const stored = (processed: number[], createdAtMs = NOW) => ({
  request: { requestId: '64e0ae94', tenant: 't1', query: '{app="x"}', startMs: 1_796_278_515_000, endMs: 1_796_282_115_272, createdAtMs, shards: [{ startMs: 1, endMs: 2 }, { startMs: 2, endMs: 3 }] },
  processed: new Map(processed.map((p) => [p, NOW])),
});

test("deleteRequestsJson: Loki's shape, seconds with millisecond fractions, statuses from the pieces", () => {
  assert.equal(
    deleteRequestsJson([stored([0])], null),
    '[{"request_id":"64e0ae94","start_time":1796278515,"end_time":1796282115.272,"query":"{app=\\"x\\"}","status":"50% Complete","created_at":1796282115,"user_id":""}]\n',
  );
  assert.equal(deleteRequestsJson([stored([])], { startMs: 0, endMs: 1000 }), '[]\n');
});

test('checkCancel: received within the period; partial or late only forced; processed never', () => {
  const day = 24 * 3_600_000;
  assert.doesNotThrow(() => checkCancel(stored([]), NOW + 1000, day, false));
  const late = /Cancellation of partially completed delete request or delete request past the deadline of 24h0m0s since its creation is not allowed. To force, use the \?force query parameter/;
  assert.throws(() => checkCancel(stored([0]), NOW, day, false), late);
  assert.throws(() => checkCancel(stored([]), NOW + 2 * day, day, false), late);
  assert.doesNotThrow(() => checkCancel(stored([0]), NOW, day, true));
  assert.throws(() => checkCancel(stored([0, 1]), NOW, day, true), /deletion of request which is in process or already processed is not allowed/);
});
