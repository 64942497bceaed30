import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  advancedCatchUp, assignedCatchUp, isCaughtUp, notCaughtUpReason, resumedCatchUp, stoppedCatchUp, type CatchUp,
} from '../../../../consumers/ingester/catch-up.js';

const MAX_LAG_MS = 15_000;
const caughtUp: CatchUp = assignedCatchUp(100, 100, 0);
const replaying: CatchUp = assignedCatchUp(10, 100, 0);

test('assignedCatchUp: a partition with nothing past its committed offset is caught up at once', () => {
  assert.equal(isCaughtUp(caughtUp), true);
  assert.equal(notCaughtUpReason(caughtUp, 100), null);
  assert.equal(isCaughtUp(replaying), false);
  assert.equal(notCaughtUpReason(replaying, 10), 'replaying (offset 10 of 100)');
});

const advanced = [
  { name: 'short of the target', c: replaying, consumed: 50, end: 120, nowMs: 1000, want: { target: 100, passStartMs: 0 } },
  { name: 'target reached within the lag bound', c: replaying, consumed: 100, end: 120, nowMs: 1000, want: { target: null } },
  { name: 'a slow pass goes on to the end seen now', c: replaying, consumed: 100, end: 120, nowMs: 20_000, want: { target: 120, passStartMs: 20_000 } },
  { name: 'a slow pass with nothing new ends', c: replaying, consumed: 100, end: 100, nowMs: 20_000, want: { target: null } },
  { name: 'caught up stays caught up', c: caughtUp, consumed: 150, end: 200, nowMs: 20_000, want: { target: null } },
];
for (const c of advanced) {
  test(`advancedCatchUp: ${c.name}`, () => {
    const got = advancedCatchUp(c.c, c.consumed, c.end, c.nowMs, MAX_LAG_MS);
    for (const [k, v] of Object.entries(c.want)) assert.equal(got[k as keyof CatchUp], v, k);
  });
}

test('stoppedCatchUp: a caught-up partition answers nothing while the consumer is stopped, even when batches reach the target', () => {
  const s = stoppedCatchUp(caughtUp, 'a fetch from broker 1 failed');
  assert.equal(isCaughtUp(s), false);
  assert.equal(notCaughtUpReason(s, 100), 'consumer not consuming: a fetch from broker 1 failed');
  assert.equal(isCaughtUp(advancedCatchUp(s, 100, 100, 1, MAX_LAG_MS)), false);
});

const resumed = [
  { name: 'nothing new: caught up at once', c: stoppedCatchUp(caughtUp, 'x'), consumed: 100, end: 100, want: { target: null, afterStop: false, stopped: null } },
  { name: 'records acknowledged meanwhile: catch up to the end now', c: stoppedCatchUp(caughtUp, 'x'), consumed: 100, end: 180, want: { target: 180, afterStop: true, stopped: null } },
  { name: 'a replay stopped midway stays a replay, to the further end', c: stoppedCatchUp(replaying, 'x'), consumed: 40, end: 150, want: { target: 150, afterStop: false, stopped: null } },
  { name: 'a replay whose target is past the end read now keeps it', c: stoppedCatchUp(replaying, 'x'), consumed: 40, end: 90, want: { target: 100, afterStop: false, stopped: null } },
];
for (const c of resumed) {
  test(`resumedCatchUp: ${c.name}`, () => {
    const got = resumedCatchUp(c.c, c.consumed, c.end, 5000);
    for (const [k, v] of Object.entries(c.want)) assert.equal(got[k as keyof CatchUp], v, k);
  });
}

test('a catch-up after a resume follows the max_consumer_lag_at_startup rule, then answers', () => {
  let c = resumedCatchUp(stoppedCatchUp(caughtUp, 'x'), 100, 180, 0);
  assert.equal(notCaughtUpReason(c, 120), 'catching up after the consumer resumed (offset 120 of 180)');
  c = advancedCatchUp(c, 180, 260, 16_000, MAX_LAG_MS);
  assert.deepEqual([c.target, c.afterStop], [260, true]);
  c = advancedCatchUp(c, 260, 270, 17_000, MAX_LAG_MS);
  assert.equal(isCaughtUp(c), true);
});
