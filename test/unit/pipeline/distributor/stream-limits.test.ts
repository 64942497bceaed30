/** The distributor's per-tenant stream limits: active streams against the stream limit, each stream's rate. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamLimits } from '../../../../pipeline/distributor/stream-limits.js';
import { testConfig } from '../../../helpers/config.js';

const MIN = 60_000;
const base = testConfig({}).limits_config;
const limits = (over: Partial<typeof base>) => ({ ...base, ...over });

const effective = [
  { name: 'global only', global: 5000, local: 0, want: 5000 },
  { name: 'local only', global: 0, local: 10, want: 10 },
  { name: 'both: the smaller', global: 100, local: 10, want: 10 },
  { name: 'neither: no limit', global: 0, local: 0, want: 0 },
];
for (const c of effective) {
  test(`StreamLimits.streamLimit: ${c.name}`, () =>
    assert.equal(StreamLimits.streamLimit(limits({ max_global_streams_per_user: c.global, max_streams_per_user: c.local })), c.want));
}

const two = limits({ max_global_streams_per_user: 2, per_stream_rate_limit: 0 });
const limitMessage = (stream: string) =>
  `maximum active stream limit exceeded when trying to create stream ${stream}, reduce the number of active streams (reduce labels or reduce label values), or contact your Loki administrator to see if the limit can be increased, user: 't'`;

test('StreamLimits: a tenant gets at most its stream limit of active streams, then Loki\'s refusal', () => {
  const s = new StreamLimits(30 * MIN);
  const steps = [
    { name: 'first stream', key: '{a="1"}', tenant: 't', nowMs: 0, want: null },
    { name: 'second stream', key: '{a="2"}', tenant: 't', nowMs: 1, want: null },
    { name: 'a known stream is not new', key: '{a="1"}', tenant: 't', nowMs: 2, want: null },
    { name: 'a third stream is refused', key: '{a="3"}', tenant: 't', nowMs: 3, want: { reason: 'stream_limit', message: limitMessage('{a="3"}') } },
    { name: 'other tenants have their own count', key: '{a="3"}', tenant: 'u', nowMs: 4, want: null },
    { name: 'a refused stream was not recorded', key: '{a="3"}', tenant: 't', nowMs: 5, want: { reason: 'stream_limit', message: limitMessage('{a="3"}') } },
    // {a="2"} was last seen at 1 and goes idle past 30 min; {a="1"} was seen at 2.
    { name: 'an idle stream no longer counts', key: '{a="3"}', tenant: 't', nowMs: 1 + 30 * MIN + 1, want: null },
  ];
  for (const c of steps) assert.deepEqual(s.admit(c.tenant, c.key, 10, two, c.nowMs), c.want, c.name);
});

test('StreamLimits: each stream\'s rate against per_stream_rate_limit and its burst', () => {
  const s = new StreamLimits(30 * MIN);
  const l = limits({ per_stream_rate_limit: 1024, per_stream_rate_limit_burst: 2048 });
  const refusal = (bytes: string) => ({
    reason: 'per_stream_rate_limit',
    message: `Per stream rate limit exceeded (limit: 1KB/sec) while attempting to ingest for stream '{a="1"}' totaling ${bytes}, consider splitting a stream via additional labels or contact your Loki administrator to see if the limit can be increased`,
  });
  const steps = [
    { name: 'within the burst', bytes: 2048, nowMs: 0, want: null },
    { name: 'burst spent', bytes: 1, nowMs: 0, want: refusal('1B') },
    { name: 'one second refills the rate', bytes: 1024, nowMs: 1000, want: null },
    { name: 'more than the burst at once', bytes: 4096, nowMs: 10_000, want: refusal('4KB') },
  ];
  for (const c of steps) assert.deepEqual(s.admit('t', '{a="1"}', c.bytes, l, c.nowMs), c.want, c.name);
  assert.equal(s.admit('t', '{a="2"}', 2048, l, 0), null, 'other streams have their own rate');
});

test('StreamLimits.sweep forgets idle streams', () => {
  const s = new StreamLimits(30 * MIN);
  assert.equal(s.admit('t', '{a="1"}', 1, two, 0), null);
  assert.equal(s.admit('t', '{a="2"}', 1, two, 0), null);
  s.sweep(30 * MIN + 1);
  assert.equal(s.admit('t', '{a="3"}', 1, two, 30 * MIN + 2), null);
  assert.equal(s.admit('t', '{a="4"}', 1, two, 30 * MIN + 3), null);
});

test('StreamLimits holds only the streams seen within the active period while pods come and go', () => {
  const s = new StreamLimits(30 * MIN);
  const none = limits({ max_global_streams_per_user: 0, per_stream_rate_limit: 1024 });
  // 100 new streams a minute for 3 hours, each pushed for 5 minutes; swept every minute as the distributor does.
  let most = 0;
  for (let minute = 0; minute < 180; minute++) {
    for (let pod = Math.max(0, (minute - 4) * 100); pod < (minute + 1) * 100; pod++) {
      assert.equal(s.admit('t', `{pod="${pod}"}`, 1, none, minute * MIN), null);
    }
    s.sweep(minute * MIN);
    most = Math.max(most, s.trackedStreams());
  }
  // Seen within the last 30 minutes (and the minute being swept): 35 minutes of 100 new streams.
  assert.ok(most <= 3600, `held ${most} streams`);
  assert.ok(most >= 3000, `held ${most} streams`);
  s.sweep(180 * MIN + 30 * MIN + 1);
  assert.equal(s.trackedStreams(), 0);
});

test('StreamLimits: a tenant at its limit drops idle streams at most once a second', () => {
  const s = new StreamLimits(1000);
  const one = limits({ max_global_streams_per_user: 1, per_stream_rate_limit: 0 });
  assert.equal(s.admit('t', '{a="1"}', 1, one, 0), null);
  assert.equal(s.admit('t', '{a="2"}', 1, one, 500)?.reason, 'stream_limit', 'the one stream is active');
  assert.equal(s.admit('t', '{a="2"}', 1, one, 1200)?.reason, 'stream_limit', 'idle now, but the last pass was under a second ago');
  assert.equal(s.admit('t', '{a="2"}', 1, one, 1500), null, 'the next pass drops the idle stream');
});
