/**
 * Loki's query rules where an answer could look right and not be, through a running
 * `fjord -target=all` on the embedded backends (query frontend, querier and ingester in one
 * process, the data still in the ingester): `max_query_length` on what a metric query selects, as
 * Loki's querier checks it (`L:pkg/querier/limits/validation.go`); a scalar's timestamp as Loki's
 * frontend writes it and a one-point range query (`L:pkg/querier/queryrange/prometheus.go`,
 * `L:pkg/logql/engine.go` GetRangeType); `max_query_series` refusing a metric query with too many
 * series unless Logs Drilldown asks (`L:pkg/logql/engine.go` JoinSampleVector); `__error__` refused
 * only when a range vector's series still carries it (`L:pkg/logql/evaluator.go`); volume counting
 * what the ingesters hold (`L:pkg/querier/querier.go` Volume).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempDir, waitUntil } from '../helpers/env.js';
import { pushStreams, type PushedStream } from '../helpers/fjord-command.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';

const TENANT = 'rules';
const NOW_MS = Math.floor(Date.now() / 60_000) * 60_000;
const AT = String(NOW_MS / 1000);
const nsOf = (ms: number) => BigInt(ms) * 1_000_000n;

function corpus(): PushedStream[] {
  const base = NOW_MS - 10 * 60_000;
  return [
    { labels: { app: 'a' }, entries: Array.from({ length: 10 }, (_, i) => [nsOf(base + i * 1000), `line ${i}`] as const) },
    ...Array.from({ length: 5 }, (_, s) => ({ labels: { app: 'many', i: String(s) }, entries: [[nsOf(base + s), `many ${s}`] as const] })),
    { labels: { app: 'db' }, entries: ['{"level":"info"}', 'not json', '{"level":"error"}'].map((l, i) => [nsOf(base + i * 1000), l] as const) },
  ];
}

async function query(f: FjordChild, path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const res = await fetch(`${f.url}${path}?${new URLSearchParams(params)}`, { headers: { 'x-scope-orgid': TENANT, ...headers } });
  return { status: res.status, body: await res.text() };
}

test('embedded fjord -target=all answers as Loki', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  const f = await startFjord(t, ['-target=all', `-common.path-prefix=${dir}`, '-querier.max-query-series=3']);
  await waitReady(f);
  await pushStreams(f.url, TENANT, corpus());
  await waitUntil('the pushed lines to be queryable', async () => {
    const r = await query(f, '/loki/api/v1/query', { query: 'sum(count_over_time({app="a"}[1h]))', time: AT });
    return r.status === 200 && r.body.includes('"10"');
  }, 20_000, 100);

  await t.test('max_query_length (30d1h) bounds what a metric query selects, its range included', async () => {
    const long = await query(f, '/loki/api/v1/query', { query: 'sum(rate({app="a"}[1y]))', time: AT });
    assert.deepEqual(long, { status: 400, body: 'the query time range exceeds the limit (query length: 8760h0m0s, limit: 30d1h)' });
    const withOffset = await query(f, '/loki/api/v1/query', { query: 'sum(rate({app="a"}[30d] offset 2h))', time: AT });
    assert.equal(withOffset.status, 200, 'an offset moves the selection, it does not lengthen it');
    const ranged = await query(f, '/loki/api/v1/query_range', { query: 'sum(rate({app="a"}[30d1h]))', start: String(NOW_MS / 1000 - 3600), end: AT, step: '60' });
    assert.equal(ranged.status, 400, ranged.body);
    assert.match(ranged.body, /^the query time range exceeds the limit \(query length: \d+h\d+m\d+s, limit: 30d1h\)$/);
  });

  await t.test('an instant scalar carries its timestamp as Loki\'s frontend writes it', async () => {
    const r = await query(f, '/loki/api/v1/query', { query: '1 + 1', time: '1700000000.123' });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual((JSON.parse(r.body) as { data: unknown }).data, { resultType: 'scalar', result: [1700000000123, '2'], stats: (JSON.parse(r.body) as { data: { stats: unknown } }).data.stats });
  });

  await t.test('a query_range whose start equals its end answers a one-point matrix', async () => {
    const r = await query(f, '/loki/api/v1/query_range', { query: 'sum(count_over_time({app="a"}[1h]))', start: AT, end: AT, step: '60' });
    assert.equal(r.status, 200, r.body);
    const data = (JSON.parse(r.body) as { data: { resultType: string; result: unknown } }).data;
    assert.deepEqual([data.resultType, data.result], ['matrix', [{ metric: {}, values: [[NOW_MS / 1000, '10']] }]]);
    const scalar = await query(f, '/loki/api/v1/query_range', { query: '1 + 1', start: AT, end: AT, step: '60' });
    const sd = (JSON.parse(scalar.body) as { data: { resultType: string; result: unknown } }).data;
    assert.deepEqual([sd.resultType, sd.result], ['matrix', [{ metric: {}, values: [[NOW_MS / 1000, '2']] }]]);
  });

  const tooMany = 'maximum number of series (3) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()';
  const partial = 'maximum number of series (3) reached for a single query; returning partial results';
  const drilldown = { 'x-query-tags': 'Source=grafana-lokiexplore-app,Feature=patterns' };
  const range = { start: String(NOW_MS / 1000 - 3600), end: AT, step: '300' };

  await t.test('max_query_series: more series is a 400 with Loki\'s message, instant and range', async () => {
    assert.deepEqual(await query(f, '/loki/api/v1/query', { query: 'count_over_time({app="many"}[1h])', time: AT }), { status: 400, body: tooMany });
    assert.deepEqual(await query(f, '/loki/api/v1/query_range', { query: 'count_over_time({app="many"}[1h])', ...range }), { status: 400, body: tooMany });
    const within = await query(f, '/loki/api/v1/query', { query: 'sum(count_over_time({app="many"}[1h]))', time: AT });
    assert.equal(within.status, 200, within.body);
  });

  await t.test('max_query_series: a Logs Drilldown request gets the first series and a warning', async () => {
    for (const [path, params] of [['/loki/api/v1/query', { time: AT }], ['/loki/api/v1/query_range', range]] as const) {
      const r = await query(f, path, { query: 'count_over_time({app="many"}[1h])', ...params }, drilldown);
      assert.equal(r.status, 200, r.body);
      const body = JSON.parse(r.body) as { warnings?: string[]; data: { result: unknown[] } };
      assert.deepEqual([body.data.result.length, body.warnings], [3, [partial]], path);
    }
  });

  await t.test('__error__: refused only when a range vector series still carries it', async () => {
    const summed = await query(f, '/loki/api/v1/query', { query: 'sum(count_over_time({app="db"} | json [1h]))', time: AT });
    assert.equal(summed.status, 200, summed.body);
    assert.deepEqual((JSON.parse(summed.body) as { data: { result: unknown } }).data.result, [{ metric: {}, value: [NOW_MS / 1000, '3'] }]);
    const kept = await query(f, '/loki/api/v1/query', { query: 'sum by (level) (count_over_time({app="db"} | json [1h]))', time: AT });
    assert.equal(kept.status, 400);
    assert.match(kept.body, /^pipeline error: 'JSONParserErr' for series: /);
    const filtered = await query(f, '/loki/api/v1/query', { query: 'sum by (level) (count_over_time({app="db"} | json | __error__="" [1h]))', time: AT });
    assert.equal(filtered.status, 200, filtered.body);
  });

  await t.test('volume and volume_range count what is still in the ingesters', async () => {
    const params = { query: '{app="a"}', start: String(NOW_MS / 1000 - 3600), end: String(NOW_MS / 1000 + 60) };
    const v = await query(f, '/loki/api/v1/index/volume', params);
    assert.equal(v.status, 200, v.body);
    const result = (JSON.parse(v.body) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
    assert.deepEqual(result.map((r) => r.metric), [{ app: 'a' }]);
    assert.ok(Number(result[0]?.value[1]) >= 10 * 'line 0'.length, `bytes counted: ${v.body}`);
    const vr = await query(f, '/loki/api/v1/index/volume_range', { ...params, step: '3600' });
    assert.equal(vr.status, 200, vr.body);
    const series = (JSON.parse(vr.body) as { data: { result: Array<{ metric: Record<string, string>; values: unknown[] }> } }).data.result;
    assert.deepEqual(series.map((r) => r.metric), [{ app: 'a' }]);
  });
});
