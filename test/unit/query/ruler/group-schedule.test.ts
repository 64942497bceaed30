import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evalTimestampMs, groupOffsetMs, groupShard, nextEvaluation } from '../../../../query/ruler/group-schedule.js';

test('evalTimestampMs: the latest slot of the group at or before now', () => {
  assert.equal(evalTimestampMs(10_500, 1000, 300), 10_300);
  assert.equal(evalTimestampMs(10_200, 1000, 300), 9300);
  assert.equal(evalTimestampMs(60_000, 60_000, 0), 60_000);
});

test('groupOffsetMs: stable, within the interval, different for different groups', () => {
  const a = groupOffsetMs('g1', 'ns', 60_000);
  assert.equal(a, groupOffsetMs('g1', 'ns', 60_000));
  assert.ok(a >= 0 && a < 60_000);
  assert.notEqual(a, groupOffsetMs('g2', 'ns', 60_000));
});

const next = [
  { name: 'on time', last: 0, now: 1000, want: { atMs: 1000, missed: 0 } },
  { name: 'early', last: 0, now: 200, want: { atMs: 1000, missed: 0 } },
  { name: 'one and a half late: next tick at once, none missed', last: 0, now: 1500, want: { atMs: 1000, missed: 0 } },
  { name: 'three ticks late: two missed', last: 0, now: 3100, want: { atMs: 3000, missed: 2 } },
];
for (const c of next) test(`nextEvaluation: ${c.name}`, () => assert.deepEqual(nextEvaluation(c.last, c.now, 1000), c.want));

test('groupShard: FNV-1a of tenant/namespace/group, as Loki\'s by-group token', () => {
  // FNV-1a 32 of "t/ns/g" = 0x3c6210fd (computed with Go's hash/fnv New32a, as Loki's tokenForGroup).
  assert.equal(groupShard({ tenant: 't', namespace: 'ns', name: 'g' }, 2 ** 32), 0x3c6210fd);
  assert.ok(groupShard({ tenant: 't', namespace: 'ns', name: 'g' }, 16) < 16);
});
