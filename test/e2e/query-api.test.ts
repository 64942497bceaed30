/**
 * The query path end to end on real Kafka and S3, every role its own fjord process, two ingester
 * zones (so every entry is held and flushed twice): a known corpus over five hours and two tenants,
 * older half flushed to the store, newer half only in the ingesters. Every endpoint's answer is
 * compared with what the corpus says, for ranges that read only the store, only the ingesters, and
 * both; no answer ever holds another tenant's data or a duplicate; metric queries sharded by
 * stream answer what they answer unsharded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitUntil } from '../helpers/env.js';
import { newCluster, startRole } from '../helpers/cluster.js';
import type { FjordChild } from '../helpers/fjord-process.js';
import { grafanaRequests, recordedParams, responseShapes } from '../helpers/loki-shapes.js';
import { connectWebSocket } from '../helpers/ws-client.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const LEVELS = ['info', 'warn', 'error'] as const;
const APPS = ['api', 'web'] as const;
const ENVS = ['prod', 'dev'] as const;

interface Entry {
  readonly tenant: string;
  readonly app: string;
  readonly env: string;
  readonly tsMs: number;
  readonly level: string;
  readonly line: string;
}

/** Five hours of entries, one per stream every 90 s, for two tenants and four streams each. */
function corpus(nowMs: number): Entry[] {
  const out: Entry[] = [];
  const start = Math.floor((nowMs - 5 * HOUR) / MIN) * MIN;
  for (const tenant of ['team-a', 'team-b']) {
    for (const app of APPS) {
      for (const env of ENVS) {
        for (let i = 0, t = start + (app === 'web' ? 7000 : 0) + (env === 'dev' ? 3000 : 0); t < nowMs - MIN; i++, t += 90_000) {
          const level = LEVELS[(i + app.length + env.length) % 3] as string;
          out.push({ tenant, app, env, tsMs: t, level, line: `level=${level} tenant=${tenant} app=${app} env=${env} status=${[200, 404, 500][i % 3]} seq=${i}` });
        }
      }
    }
  }
  return out;
}

async function push(distributor: FjordChild, entries: readonly Entry[]): Promise<void> {
  const byTenant = new Map<string, Entry[]>();
  for (const e of entries) byTenant.set(e.tenant, [...(byTenant.get(e.tenant) ?? []), e]);
  for (const [tenant, list] of byTenant) {
    for (let i = 0; i < list.length; i += 400) {
      const batch = list.slice(i, i + 400);
      const streams = new Map<string, { stream: Record<string, string>; values: string[][] }>();
      for (const e of batch) {
        const key = `${e.app}/${e.env}`;
        const s = streams.get(key) ?? { stream: { app: e.app, env: e.env }, values: [] };
        s.values.push([`${e.tsMs}000000`, e.line]);
        streams.set(key, s);
      }
      const res = await fetch(`${distributor.url}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant },
        body: JSON.stringify({ streams: [...streams.values()] }),
      });
      assert.equal(res.status, 204, await res.text());
    }
  }
}

async function get(f: FjordChild, path: string, params: Record<string, string>, tenant: string): Promise<any> {
  const res = await fetch(`${f.url}${path}?${new URLSearchParams(params)}`, { headers: { 'x-scope-orgid': tenant } });
  const text = await res.text();
  assert.equal(res.status, 200, `${path} ${JSON.stringify(params)}: ${text}`);
  return JSON.parse(text);
}

const ns = (ms: number) => `${ms}000000`;

/** Wait until every owner (both zones) of every partition has consumed to the log's end, as the reader's freshness reports. */
async function consumedToEnd(reader: FjordChild, what: string): Promise<void> {
  await waitUntil(what, async () => {
    const res = await fetch(`${reader.url}/fjord/api/v1/freshness`, { headers: { 'x-scope-orgid': 'team-a' } });
    if (res.status !== 200) return false;
    const f = (await res.json()) as { partitions: Array<{ lag_records: number | null }> };
    return f.partitions.length > 0 && f.partitions.every((p) => p.lag_records === 0);
  }, 30_000, 100);
}
const labelsOf = (e: Entry) => ({ app: e.app, env: e.env, service_name: e.app, detected_level: e.level });

test('query API on real Kafka and S3: store only, ingesters only, both; two zones; two tenants', async (t) => {
  const c = await newCluster(t, 4);
  const distributor = await startRole(t, c, 'distributor');
  const zoneA = await startRole(t, c, 'ingester', { flags: ['-ingester.availability-zone=a'] });
  const zoneB = await startRole(t, c, 'ingester', { flags: ['-ingester.availability-zone=b'] });
  const reader = await startRole(t, c, 'read');
  const nowMs = Date.now();
  const all = corpus(nowMs);
  const cut = nowMs - 150 * MIN;
  const older = all.filter((e) => e.tsMs < cut);
  const newer = all.filter((e) => e.tsMs >= cut);

  await push(distributor, older);
  await consumedToEnd(reader, 'the older half consumed in both zones');
  for (const z of [zoneA, zoneB]) assert.equal((await fetch(`${z.url}/flush`, { method: 'POST' })).status, 204);
  await push(distributor, newer);
  await consumedToEnd(reader, 'the newer half consumed in both zones');

  const expectLines = (tenant: string, filter: (e: Entry) => boolean, fromMs: number, toMs: number) =>
    all.filter((e) => e.tenant === tenant && filter(e) && e.tsMs >= fromMs && e.tsMs < toMs);

  const ranges = [
    { name: 'store only', from: nowMs - 5 * HOUR, to: nowMs - 4 * HOUR },
    { name: 'ingesters only', from: nowMs - 90 * MIN, to: nowMs },
    { name: 'store and ingesters', from: nowMs - 5 * HOUR, to: nowMs },
  ];
  for (const r of ranges) {
    for (const direction of ['forward', 'backward'] as const) {
      const body = await get(reader, '/loki/api/v1/query_range', { query: '{app="api"}', start: ns(r.from), end: ns(r.to), limit: '5000', direction }, 'team-a');
      const got = body.data.result.flatMap((s: any) => s.values.map((v: [string, string]) => ({ labels: s.stream, ts: v[0], line: v[1] })));
      const want = expectLines('team-a', (e) => e.app === 'api', r.from, r.to);
      assert.equal(got.length, want.length, `${r.name} ${direction}: every entry once (two zones hold each twice)`);
      assert.deepEqual(new Set(got.map((g: any) => g.line)).size, got.length, `${r.name}: no duplicates`);
      for (const g of got) assert.ok(g.line.includes('tenant=team-a'), 'only the asking tenant');
      const want1 = want.find((e) => e.line === got[0]?.line);
      assert.ok(want1, `${r.name}: lines are the corpus's`);
      assert.deepEqual(got[0]?.labels, labelsOf(want1));
      const order = got.map((g: any) => BigInt(g.ts));
      const sorted = [...order].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      if (direction === 'backward') sorted.reverse();
      assert.deepEqual(body.data.result.length > 0, true);
      assert.deepEqual(order.length, sorted.length);
    }
  }

  const limited = await get(reader, '/loki/api/v1/query_range', { query: '{env="prod"} |= "level=error"', start: ns(nowMs - 5 * HOUR), end: ns(nowMs), limit: '7', direction: 'backward' }, 'team-b');
  const limitedLines = limited.data.result.flatMap((s: any) => s.values.map((v: [string, string]) => v[1]));
  const wantNewest = expectLines('team-b', (e) => e.env === 'prod' && e.level === 'error', nowMs - 5 * HOUR, nowMs).sort((a, b) => b.tsMs - a.tsMs).slice(0, 7).map((e) => e.line);
  assert.deepEqual([...limitedLines].sort(), [...wantNewest].sort(), 'limit keeps the newest entries');

  const step = 10 * MIN;
  const start = Math.floor((nowMs - 4 * HOUR) / step) * step;
  const end = start + 3 * HOUR;
  const matrix = await get(reader, '/loki/api/v1/query_range', { query: 'sum by (detected_level) (count_over_time({env="prod"}[10m]))', start: ns(start), end: ns(end), step: '600' }, 'team-a');
  assert.equal(matrix.data.resultType, 'matrix');
  for (const series of matrix.data.result) {
    for (const [sec, value] of series.values as Array<[number, string]>) {
      const at = Math.round(sec * 1000);
      const want = all.filter((e) => e.tenant === 'team-a' && e.env === 'prod' && e.level === series.metric.detected_level && e.tsMs > at - step && e.tsMs <= at).length;
      assert.equal(Number(value), want, `count at ${new Date(at).toISOString()} for ${series.metric.detected_level}`);
    }
  }
  assert.deepEqual(matrix.data.result.map((s: any) => s.metric.detected_level).sort(), [...LEVELS].sort());

  const instantAt = nowMs - 30 * MIN;
  const vector = await get(reader, '/loki/api/v1/query', { query: 'sum(count_over_time({app="web"}[1h]))', time: ns(instantAt) }, 'team-b');
  assert.equal(Number(vector.data.result[0].value[1]), all.filter((e) => e.tenant === 'team-b' && e.app === 'web' && e.tsMs > instantAt - HOUR && e.tsMs <= instantAt).length);

  const health = await get(reader, '/loki/api/v1/query', { query: 'vector(1)+vector(1)', time: '4000000000' }, 'team-a');
  // Ten digits are seconds (Loki's parseTimestamp), so Grafana's time=4000000000 is 4e9 s.
  assert.deepEqual(health.data.result, [{ metric: {}, value: [4000000000, '2'] }]);

  const labels = await get(reader, '/loki/api/v1/labels', { start: ns(nowMs - 5 * HOUR), end: ns(nowMs) }, 'team-a');
  assert.deepEqual(labels, { status: 'success', data: ['app', 'env', 'service_name'] });
  const values = await get(reader, '/loki/api/v1/label/app/values', { start: ns(nowMs - 5 * HOUR), end: ns(nowMs) }, 'team-a');
  assert.deepEqual(values, { status: 'success', data: ['api', 'web'] });
  const series = await get(reader, '/loki/api/v1/series', { 'match[]': '{env="dev"}', start: ns(nowMs - 5 * HOUR), end: ns(nowMs) }, 'team-b');
  assert.deepEqual(
    [...series.data].sort((a: any, b: any) => a.app.localeCompare(b.app)),
    [{ app: 'api', env: 'dev', service_name: 'api' }, { app: 'web', env: 'dev', service_name: 'web' }],
  );
  const storeOnly = await get(reader, '/loki/api/v1/index/stats', { query: '{app="api"}', start: ns(nowMs - 5 * HOUR), end: ns(cut - 31 * MIN) }, 'team-a');
  assert.equal(storeOnly.streams, 2);
  assert.ok(storeOnly.entries >= expectLines('team-a', (e) => e.app === 'api', nowMs - 5 * HOUR, cut - 31 * MIN).length);

  // Tenant isolation: another tenant sees nothing of these.
  const other = await get(reader, '/loki/api/v1/query_range', { query: '{app=~".+"}', start: ns(nowMs - 5 * HOUR), end: ns(nowMs), limit: '5000' }, 'team-c');
  assert.deepEqual(other.data.result, []);
  // Loki's LabelResponse omits an empty data list.
  assert.deepEqual(await get(reader, '/loki/api/v1/labels', { start: ns(nowMs - 5 * HOUR), end: ns(nowMs) }, 'team-c'), { status: 'success' });
  assert.equal((await get(reader, '/loki/api/v1/index/stats', { query: '{app=~".+"}', start: ns(nowMs - 5 * HOUR), end: ns(nowMs) }, 'team-c')).streams, 0);

  // Sharded metric queries (a tiny tsdb_max_bytes_per_shard) answer what the unsharded reader
  // answers, over the store, the ingesters (asked for one shard of the streams each) and both.
  const sharded = await startRole(t, c, 'read', { flags: ['-querier.tsdb-max-bytes-per-shard=1KB'] });
  const metricQueries = [
    'sum by (detected_level) (count_over_time({env="prod"}[10m]))',
    'rate({app="api"}[5m])',
    'sum(bytes_rate({app=~".+"} | logfmt | status="500" [10m]))',
    'sum by (app) (count_over_time({app=~".+"} | drop env [30m]))',
    'max by (app) (max_over_time({app=~".+"} | logfmt | unwrap seq [10m]))',
    // Its two-hour range reaches the store, so pieces of recent data are sharded too.
    'sum by (app) (count_over_time({app=~".+"} | drop env [2h]))',
  ];
  let shardsRun = 0;
  for (const r of ranges) {
    for (const query of metricQueries) {
      const params = { query, start: ns(Math.floor(r.from / MIN) * MIN), end: ns(Math.floor(r.to / MIN) * MIN), step: '300' };
      const want = await get(reader, '/loki/api/v1/query_range', params, 'team-a');
      const got = await get(sharded, '/loki/api/v1/query_range', params, 'team-a');
      assert.equal(want.data.stats.summary.shards, 0, 'the reference is unsharded');
      assert.deepEqual(got.data.result, want.data.result, `${r.name}: ${query}`);
      shardsRun += got.data.stats.summary.shards;
      if (query.includes('[2h]')) assert.ok(got.data.stats.summary.shards > 0, `${r.name}: ${query} was sharded`);
    }
    const at = { query: 'sum by (app) (count_over_time({app=~".+"}[1h]))', time: ns(r.to - 10 * MIN) };
    assert.deepEqual((await get(sharded, '/loki/api/v1/query', at, 'team-b')).data.result, (await get(reader, '/loki/api/v1/query', at, 'team-b')).data.result, `${r.name}: instant`);
  }
  assert.ok(shardsRun > 0, 'some pieces were sharded');
  // Fresh streams held only by the ingesters: each shard asks them for its own streams only.
  const freshAt = Date.now();
  const fresh = Array.from({ length: 60 }, (_, i): Entry => ({ tenant: 'team-a', app: 'fresh', env: `e${i % 6}`, tsMs: freshAt - 20 * MIN + i * 15_000, level: 'info', line: `level=info fresh=${i}` }));
  await push(distributor, fresh);
  const recent = { query: 'sum by (app) (count_over_time({app=~".+"} | drop env [2h]))', start: ns(freshAt - 30 * MIN), end: ns(freshAt), step: '60' };
  const freshCount = (body: any) => Number(body.data.result.find((x: any) => x.metric.app === 'fresh')?.values.at(-1)?.[1] ?? 0);
  await waitUntil('the fresh entries are queryable', async () => freshCount(await get(reader, '/loki/api/v1/query_range', recent, 'team-a')) === fresh.length, 15_000, 200);
  const recentWant = await get(reader, '/loki/api/v1/query_range', recent, 'team-a');
  const recentGot = await get(sharded, '/loki/api/v1/query_range', recent, 'team-a');
  assert.deepEqual(recentGot.data.result, recentWant.data.result, 'fresh streams from the ingesters, sharded');
  assert.ok(recentGot.data.stats.summary.shards > 0 && recentGot.data.stats.ingester.totalLinesSent > 0, 'sharded, with the ingesters\' data');

  // Grafana's Loki data source, every request it sends, against the real read path.
  for (const r of grafanaRequests) {
    const params = recordedParams(r, BigInt(Date.now()) * 1_000_000n);
    const headers = { 'x-scope-orgid': 'team-a', ...(r.headers ?? {}) };
    if (r.expect === 'tail') {
      const ws = await connectWebSocket(`${reader.url}${r.path}?${params}`, headers);
      const frame = JSON.parse((await ws.nextText()) as string) as { streams: unknown[] };
      assert.ok(Array.isArray(frame.streams) && frame.streams.length > 0, `${r.name}: a tail frame with streams`);
      ws.close();
      continue;
    }
    const res = await fetch(`${reader.url}${r.path}?${params}`, { headers });
    const text = await res.text();
    assert.equal(res.status, 200, `${r.name}: ${text}`);
    const check = responseShapes[r.expect];
    assert.ok(check, `no shape check for ${r.expect}`);
    check(JSON.parse(text), r.headers ?? {});
  }
});
