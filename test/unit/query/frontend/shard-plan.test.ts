/**
 * Which queries are sharded (only those whose shards merge exactly), what their shards run, and
 * how many shards a piece gets (Loki's GuessShardFactor cases, `power_test.go`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpr, printExpr, type SampleExpr } from '../../../../query/logql/index.js';
import { shardFactor, shardPlanOf, statsRangeOf } from '../../../../query/frontend/shard-plan.js';

const sample = (q: string) => parseExpr(q) as SampleExpr;
const S = 1_000_000_000n;

const shardable = [
  { name: 'count_over_time', query: 'count_over_time({app="a"}[5m])', merge: 'sum', runs: 'count_over_time({app="a"}[5m])', divisor: null },
  { name: 'rate runs as its count', query: 'rate({app="a"} |= "x" [1m])', merge: 'sum', runs: 'count_over_time({app="a"} |= "x" [1m])', divisor: 60 },
  { name: 'rate with unwrap runs as its sum', query: 'rate({app="a"} | logfmt | unwrap bytes(size) [2m])', merge: 'sum', runs: 'sum_over_time({app="a"} | logfmt | unwrap bytes(size) [2m])', divisor: 120 },
  { name: 'bytes_rate runs as bytes_over_time', query: 'bytes_rate({app="a"}[30s])', merge: 'sum', runs: 'bytes_over_time({app="a"}[30s])', divisor: 30 },
  { name: 'bytes_over_time', query: 'bytes_over_time({app="a"}[1h])', merge: 'sum', runs: 'bytes_over_time({app="a"}[1h])', divisor: null },
  { name: 'sum_over_time with unwrap', query: 'sum_over_time({app="a"} | json | unwrap latency [5m])', merge: 'sum', runs: 'sum_over_time({app="a"} | json | unwrap latency [5m])', divisor: null },
  { name: 'sum by over rate', query: 'sum by (level) (rate({app="a"} | json [1m]))', merge: 'sum', runs: 'sum by (level) (count_over_time({app="a"} | json [1m]))', divisor: 60 },
  { name: 'sum without over count with offset', query: 'sum without (pod) (count_over_time({app="a"}[5m] offset 1h))', merge: 'sum', runs: 'sum without (pod) (count_over_time({app="a"}[5m] offset 1h))', divisor: null },
  { name: 'nested sums', query: 'sum(sum by (level, app) (bytes_rate({app=~".+"} | drop pod [1m])))', merge: 'sum', runs: 'sum(sum by (level, app) (bytes_over_time({app=~".+"} | drop pod [1m])))', divisor: 60 },
  { name: 'sum over label_format (colliding streams are summed)', query: 'sum by (x) (count_over_time({a=~".+"} | label_format x="{{.a}}" [1m]))', merge: 'sum', runs: 'sum by (x) (count_over_time({a=~".+"} | label_format x="{{.a}}" [1m]))', divisor: null },
  { name: 'max_over_time', query: 'max_over_time({app="a"} | unwrap x [5m])', merge: 'max', runs: 'max_over_time({app="a"} | unwrap x [5m])', divisor: null },
  { name: 'max by over max_over_time by', query: 'max by (app) (max_over_time({app="a"} | unwrap x [5m]) by (app, pod))', merge: 'max', runs: 'max by (app) (max_over_time({app="a"} | unwrap x [5m]) by (app, pod))', divisor: null },
  { name: 'min over min_over_time', query: 'min(min_over_time({app="a"} | unwrap x [5m]))', merge: 'min', runs: 'min(min_over_time({app="a"} | unwrap x [5m]))', divisor: null },
] as const;

for (const c of shardable) {
  test(`shardPlanOf: ${c.name}`, () => {
    const plan = shardPlanOf(sample(c.query));
    assert.ok(plan !== null, 'shardable');
    assert.equal(plan.merge, c.merge);
    assert.equal(printExpr(plan.shardExpr), printExpr(parseExpr(c.runs)));
    assert.deepEqual(parseExpr(printExpr(plan.shardExpr)), plan.shardExpr, 'what the shards run parses back');
    assert.equal(plan.divisor, c.divisor);
  });
}

const unshardable = [
  'avg_over_time({app="a"} | unwrap x [5m])',
  'first_over_time({app="a"} | unwrap x [5m])',
  'last_over_time({app="a"} | unwrap x [5m])',
  'quantile_over_time(0.99, {app="a"} | unwrap x [5m])',
  'stddev_over_time({app="a"} | unwrap x [5m])',
  'rate_counter({app="a"} | unwrap x [5m])',
  'absent_over_time({app="a"}[5m])',
  'avg by (level) (rate({app="a"}[1m]))',
  'count by (level) (rate({app="a"}[1m]))',
  'stddev(rate({app="a"}[1m]))',
  'topk(3, sum by (level) (rate({app="a"}[1m])))',
  'bottomk(3, rate({app="a"}[1m]))',
  'sort(sum by (level) (rate({app="a"}[1m])))',
  'sort_desc(rate({app="a"}[1m]))',
  'max(count_over_time({app="a"}[1m]))',
  'sum(max_over_time({app="a"} | unwrap x [5m]))',
  'min(max_over_time({app="a"} | unwrap x [5m]))',
  'max by (app) (min_over_time({app="a"} | unwrap x [5m]))',
  'sum by (level) (avg_over_time({app="a"} | unwrap x [5m]))',
  'sum(rate({app="a"}[1m])) / 2',
  'sum(rate({app="a"}[1m])) + sum(rate({app="b"}[1m]))',
  'rate({app="a"}[1m]) > 1',
  'label_replace(sum by (level) (rate({app="a"}[1m])), "x", "$1", "level", "(.*)")',
  'sum(label_replace(rate({app="a"}[1m]), "x", "$1", "app", "(.*)"))',
  'vector(1)',
  '1 + 1',
];
for (const q of unshardable) test(`shardPlanOf leaves alone: ${q}`, () => assert.equal(shardPlanOf(sample(q)), null));

const MB600 = 600 * 1024 * 1024;
const factors = [
  { name: 'no data, no sharding', bytes: 0, max: 128, want: 1 },
  { name: 'exactly one shard of bytes', bytes: MB600, max: 128, want: 1 },
  { name: 'one byte over: two', bytes: MB600 + 1, max: 128, want: 2 },
  { name: 'four shards of bytes', bytes: MB600 * 4, max: 128, want: 4 },
  { name: 'rounded up to a power of two', bytes: MB600 * 15, max: 128, want: 16 },
  { name: 'capped', bytes: MB600 * 4, max: 2, want: 2 },
  { name: 'capped at one', bytes: MB600 * 4, max: 1, want: 1 },
  { name: 'a cap that is not a power of two', bytes: MB600 * 1000, max: 100, want: 100 },
  { name: 'the default cap', bytes: MB600 * 1e6, max: 128, want: 128 },
];
for (const c of factors) test(`shardFactor: ${c.name}`, () => assert.equal(shardFactor(c.bytes, MB600, c.max), c.want));

test('statsRangeOf: the entries a piece reads, range and offset included; an instant query reads its range', () => {
  const plan = shardPlanOf(sample('sum(count_over_time({app="a"}[5m] offset 1h))'));
  assert.ok(plan !== null);
  const t = 10_000n * S;
  assert.deepEqual(statsRangeOf(plan, { startNs: t, endNs: t }), { startNs: t - 3600n * S - 300n * S + 1n, endNs: t - 3600n * S + 1n });
  assert.deepEqual(statsRangeOf(plan, { startNs: t, endNs: t + 60n * S }), { startNs: t - 3900n * S + 1n, endNs: t + 60n * S - 3600n * S + 1n });
});
