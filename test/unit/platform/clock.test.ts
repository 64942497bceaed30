import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FixedClock, systemClock } from '../../../platform/clock.js';

test('FixedClock stands still until advanced', () => {
  const c = new FixedClock(1_000);
  assert.equal(c.now(), 1_000);
  c.advance(250);
  assert.equal(c.now(), 1_250);
});

test('systemClock reads Date.now', () => {
  const before = Date.now();
  const t = systemClock.now();
  assert.ok(t >= before && t <= Date.now());
});
