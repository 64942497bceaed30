/**
 * Retry policy (`L:pkg/querier/queryrange/queryrangebase/retry.go`): max_retries tries in all,
 * 5xx and unknown errors retried, 4xx and cancellations not, backoff 250 ms doubling to 5 s.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { backoffMs, isRetryable, retryPolicy, withRetries } from '../../../../query/frontend/retry.js';

const retryable: Array<{ name: string; err: unknown; want: boolean }> = [
  { name: '503 unavailable', err: new FjordError('object_store_unavailable', 'x'), want: true },
  { name: '500 internal', err: new FjordError('internal', 'x'), want: true },
  { name: 'a plain Error (no HTTP status)', err: new Error('socket hang up'), want: true },
  { name: '400 bad query', err: new FjordError('bad_request', 'parse error'), want: false },
  { name: '429 full queue', err: new FjordError('too_many_outstanding_requests', 'too many outstanding requests'), want: false },
  { name: '504 query timeout', err: new FjordError('query_timeout', 'x'), want: false },
  { name: '499 client closed', err: new FjordError('client_closed', 'x'), want: false },
];
for (const c of retryable) test(`isRetryable: ${c.name}`, () => assert.equal(isRetryable(c.err), c.want));

test('backoff: 250 ms, 500 ms, 1 s, 2 s, 4 s, then 5 s; jitter scales into [half, full]', () => {
  const p = retryPolicy(5);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, p, 1)), [250, 500, 1000, 2000, 4000, 5000]);
  assert.equal(backoffMs(1, p, 0), 125);
});

const fast = { maxTries: 5, minBackoffMs: 1, maxBackoffMs: 2 };

test('withRetries: a piece failing with 503 twice succeeds on the third try', async () => {
  let calls = 0;
  let tries = 0;
  const r = await withRetries(async () => {
    calls++;
    if (calls < 3) throw new FjordError('server_overloaded', 'busy');
    return 'ok';
  }, fast, new AbortController().signal, (t) => (tries = t));
  assert.equal(r, 'ok');
  assert.equal(tries, 3);
});

test('withRetries: a 400 is not retried', async () => {
  let calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw new FjordError('bad_request', 'bad');
  }, fast, new AbortController().signal), /bad/);
  assert.equal(calls, 1);
});

test('withRetries: gives up after max_retries tries with the last error; 0 means one try', async () => {
  let calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw new FjordError('internal', `fail ${calls}`);
  }, fast, new AbortController().signal), /fail 5/);
  assert.equal(calls, 5);
  assert.equal(retryPolicy(0).maxTries, 1);
});

test('withRetries: an aborted request stops retrying with the abort reason', async () => {
  const ctl = new AbortController();
  await assert.rejects(withRetries(async () => {
    ctl.abort(new FjordError('query_timeout', 'timed out'));
    throw new FjordError('internal', 'x');
  }, fast, ctl.signal), /timed out/);
});
