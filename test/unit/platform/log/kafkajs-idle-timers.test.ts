/** kafkajs's own RequestQueue with Fjord's corrected timers, on fake timers. */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mock, test } from 'node:test';
import { correctKafkajsIdleTimers, REQUEST_TIMEOUT_CHECK_EVERY_MS } from '../../../../platform/log/kafkajs-idle-timers.js';

interface Queue {
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  scheduleRequestTimeoutCheck(): void;
  destroy(): void;
}
type QueueClass = new (options: Record<string, unknown>) => Queue;
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as QueueClass;
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A queue whose connection-state check counts its calls: one call per timeout check. */
function queue(requestTimeout: number): { q: Queue; checks: () => number } {
  let checks = 0;
  const q = new RequestQueue({
    maxInFlightRequests: null, requestTimeout, enforceRequestTimeout: true, clientId: 'fjord-test', broker: '127.0.0.1:9092',
    logger: quiet, isConnected: () => (checks++, true),
  });
  return { q, checks: () => checks };
}

test('kafkajs request queue: a connection looks for timed-out requests once a second, and times one out at most a second late', (t) => {
  correctKafkajsIdleTimers();
  mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const { q, checks } = queue(30_000);
  const timedOutAt: number[] = [];
  q.inflight.set(1, { sentAt: Date.now(), requestTimeout: 30_000, timeoutRequest: () => void timedOutAt.push(Date.now()) });
  q.scheduleRequestTimeoutCheck();
  mock.timers.tick(10_000);
  assert.equal(checks(), 10_000 / REQUEST_TIMEOUT_CHECK_EVERY_MS);
  mock.timers.tick(20_000);
  assert.deepEqual(timedOutAt, [], 'not before its timeout');
  mock.timers.tick(REQUEST_TIMEOUT_CHECK_EVERY_MS);
  assert.deepEqual(timedOutAt, [1_000_000 + 30_000 + REQUEST_TIMEOUT_CHECK_EVERY_MS]);
  q.destroy();
  const after = checks();
  mock.timers.tick(10_000);
  assert.equal(checks(), after, 'a destroyed queue checks nothing');
});

test('kafkajs request queue: a request timeout shorter than the check period is the period', (t) => {
  correctKafkajsIdleTimers();
  mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const { q, checks } = queue(250);
  q.scheduleRequestTimeoutCheck();
  mock.timers.tick(1_000);
  assert.equal(checks(), 4);
  q.destroy();
});
