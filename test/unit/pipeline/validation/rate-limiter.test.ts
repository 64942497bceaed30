import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket, TokenBuckets } from '../../../../pipeline/validation/rate-limiter.js';

test('token bucket: burst, refill at the rate, all-or-nothing', () => {
  const b = new TokenBucket(100, 300, 0);
  assert.equal(b.tryTake(300, 0), true);
  assert.equal(b.tryTake(1, 0), false);
  assert.equal(b.tryTake(50, 500), true, 'half a second refills 50');
  assert.equal(b.tryTake(1, 500), false);
  assert.equal(b.tryTake(301, 100_000), false, 'never more than the burst');
  assert.equal(b.tryTake(300, 100_000), true);
});

test('token buckets: separate per key, reconfigured in place', () => {
  const bs = new TokenBuckets();
  assert.equal(bs.tryTake('a', 10, 1, 10, 0), true);
  assert.equal(bs.tryTake('a', 1, 1, 10, 0), false);
  assert.equal(bs.tryTake('b', 10, 1, 10, 0), true);
  bs.retain((k) => k === 'a');
  assert.equal(bs.size, 1);
});
