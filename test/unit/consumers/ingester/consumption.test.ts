import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConsumptionWatch } from '../../../../consumers/ingester/consumption-watch.js';
import { TenantRates } from '../../../../consumers/ingester/tenant-rates.js';

test('tenant rates: complete 5 s buckets of the last 30 s, the filling one left out; idle tenants forgotten', () => {
  const r = new TenantRates();
  const t0 = 1_000_000_000;
  r.add('a', 30, 3000, t0);
  r.add('a', 30, 3000, t0 + 4000);
  r.add('b', 6, 60, t0 + 1000);
  assert.deepEqual(r.rates(t0 + 4999), [{ tenant: 'a', lines_per_second: 0, bytes_per_second: 0 }, { tenant: 'b', lines_per_second: 0, bytes_per_second: 0 }]);
  assert.deepEqual(r.rates(t0 + 5000), [{ tenant: 'a', lines_per_second: 2, bytes_per_second: 200 }, { tenant: 'b', lines_per_second: 0.2, bytes_per_second: 2 }]);
  assert.deepEqual(r.rates(t0 + 34_999), [{ tenant: 'a', lines_per_second: 2, bytes_per_second: 200 }, { tenant: 'b', lines_per_second: 0.2, bytes_per_second: 2 }]);
  assert.deepEqual(r.rates(t0 + 35_000), []);
});

test('consumption watch: a wait ends when the owned partitions reach the position, ignores partitions not owned', async () => {
  const w = new ConsumptionWatch();
  w.assigned(0, 10, 20);
  w.assigned(1, 0, 0);
  assert.equal(w.reached(new Map([[0, 10], [5, 99]])), true);
  assert.equal(w.reached(new Map([[0, 11]])), false);
  let done = false;
  const waiting = w.waitFor(new Map([[0, 15], [1, 1]]), 10_000).then(() => (done = true));
  w.consumedUpTo(0, 15, 20, 123);
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false, 'partition 1 not there yet');
  w.revoked(1);
  await waiting;
  assert.deepEqual(w.get(0), { consumed: 15, end: 20, lastRecordMs: 123 });
  w.consumedUpTo(0, 16, 20, null);
  assert.equal(w.get(0)?.lastRecordMs, 123);
});

test('consumption watch: a wait ends at its timeout or abort, unreached', async () => {
  const w = new ConsumptionWatch();
  w.assigned(0, 0, 5);
  const t0 = Date.now();
  await w.waitFor(new Map([[0, 5]]), 30);
  assert.ok(Date.now() - t0 >= 25);
  const abort = new AbortController();
  const waiting = w.waitFor(new Map([[0, 5]]), 10_000, abort.signal);
  abort.abort();
  await waiting;
  assert.equal(w.reached(new Map([[0, 5]])), false);
});
