/**
 * The query API over fastify, against an in-memory backend that evaluates LogQL with Fjord's real
 * pipeline and metric evaluator — directly, and through the query frontend (split, queued, merged).
 * Every endpoint's status, content type and body; Grafana's health check; Loki's error texts and
 * statuses (`L:pkg/util/server/error.go`, `L:pkg/querier/http.go`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FjordError } from '../../schemas/index.js';
import type { LimitsConfig } from '../../schemas/config/index.js';
import { testConfig } from '../helpers/config.js';
import { FakeQueryBackend } from '../helpers/fake-query-backend.js';
import { startQueryApi, type QueryApi } from '../helpers/query-api.js';
import { NOW, sampleStreams } from '../helpers/sample-streams.js';

const MIN = 60_000_000_000n;

type Reply = { status: number; type: string; body: string; json: () => unknown };

async function get(api: QueryApi, url: string, headers: Record<string, string> = {}): Promise<Reply> {
  const r = await api.server.app.inject({ method: 'GET', url, headers });
  return { status: r.statusCode, type: String(r.headers['content-type']), body: r.body, json: () => JSON.parse(r.body) as unknown };
}

async function post(api: QueryApi, url: string, form: string, headers: Record<string, string> = {}): Promise<Reply> {
  const r = await api.server.app.inject({ method: 'POST', url, payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  return { status: r.statusCode, type: String(r.headers['content-type']), body: r.body, json: () => JSON.parse(r.body) as unknown };
}

const q = (params: Record<string, string | bigint | number>): string => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
const range = { start: NOW - 60n * MIN, end: NOW };

for (const viaFrontend of [false, true]) {
  describe(viaFrontend ? 'through the query frontend' : 'directly over the backend', () => {
    let api: QueryApi;
    let backend: FakeQueryBackend;
    before(async () => {
      backend = new FakeQueryBackend(sampleStreams());
      api = await startQueryApi({ backend, viaFrontend, nowNs: NOW, config: { limits_config: { split_queries_by_interval: '15m' } } });
    });
    after(() => api.close());

    test('Grafana health check: instant vector(1)+vector(1) at time=4000000000 is 2', async () => {
      const r = await get(api, `/loki/api/v1/query?${q({ query: 'vector(1)+vector(1)', direction: 'backward', time: 4000000000 })}`);
      assert.equal(r.status, 200);
      assert.match(r.type, /^application\/json/);
      const body = r.json() as { status: string; data: { resultType: string; result: Array<{ metric: object; value: [number, string] }> } };
      assert.equal(body.status, 'success');
      assert.equal(body.data.resultType, 'vector');
      assert.deepEqual(body.data.result, [{ metric: {}, value: [4000000000, '2'] }]);
    });

    test('older Grafana health check: labels of the last 10 minutes', async () => {
      const r = await get(api, `/loki/api/v1/labels?${q({ start: NOW - 10n * MIN, end: NOW })}`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json(), { status: 'success', data: ['app', 'env', 'service_name'] });
    });

    test('query_range, log query, backward with limit, categorize-labels', async () => {
      const r = await get(api, `/loki/api/v1/query_range?${q({ query: '{app="api"} | json | status="500"', ...range, limit: 3, step: '60000ms' })}`, { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' });
      assert.equal(r.status, 200);
      const body = r.json() as { data: { resultType: string; encodingFlags: string[]; result: Array<{ stream: object; values: unknown[][] }>; stats: { summary: { splits: number } } } };
      assert.equal(body.data.resultType, 'streams');
      assert.deepEqual(body.data.encodingFlags, ['categorize-labels']);
      assert.equal(body.data.result.length, 1);
      assert.deepEqual(body.data.result[0]?.stream, { app: 'api', env: 'prod', service_name: 'api' });
      const values = body.data.result[0]?.values ?? [];
      assert.equal(values.length, 3);
      assert.deepEqual(values.map((v) => v[0]), [String(NOW - 6n * MIN), String(NOW - 12n * MIN), String(NOW - 18n * MIN)]);
      assert.deepEqual(values[0]?.[2], { structuredMetadata: { trace_id: 't27' }, parsed: { path: '/p3', status: '500', user_id: 'u2' } });
      assert.equal(body.data.stats.summary.splits, viaFrontend ? 5 : 0, 'an hour not on a 15m boundary is 5 pieces');
    });

    test('query_range, log query, forward, without categorize-labels: labels folded and regrouped', async () => {
      const r = await get(api, `/loki/api/v1/query_range?${q({ query: '{app="web"} | logfmt | level="error"', ...range, limit: 2, direction: 'forward' })}`);
      const body = r.json() as { data: { result: Array<{ stream: Record<string, string>; values: string[][] }> } };
      assert.equal(body.data.result.length, 2);
      assert.deepEqual(body.data.result.map((s) => s.values.map((v) => v.length)), [[2], [2]]);
      for (const s of body.data.result) assert.equal(s.stream.level, 'error');
    });

    test('query_range, metric query: the logs volume histogram Grafana runs', async () => {
      const query = 'sum by (level) (count_over_time({env=~".+"} | logfmt [5m]))';
      const r = await get(api, `/loki/api/v1/query_range?${q({ query, ...range, step: '300000ms' })}`, { 'X-Query-Tags': 'Source=logvolhist' });
      assert.equal(r.status, 200);
      const body = r.json() as { data: { resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } };
      assert.equal(body.data.resultType, 'matrix');
      const byLevel = Object.fromEntries(body.data.result.map((s) => [s.metric.level ?? '', s.values.reduce((n, [, v]) => n + Number(v), 0)]));
      assert.equal(byLevel.info, 15);
      assert.equal(byLevel.error, 15);
      if (viaFrontend) for (const s of body.data.result) for (const [t] of s.values) assert.equal(Number.isInteger(t / 300), true, 'the frontend aligns steps, as Loki');
    });

    test('POST form body works like GET', async () => {
      const r = await post(api, '/loki/api/v1/query', q({ query: 'vector(3)', time: 10 }));
      assert.equal(r.status, 200);
      assert.deepEqual((r.json() as { data: { result: unknown } }).data.result, [{ metric: {}, value: [10, '3'] }]);
    });

    test('instant query of a log selector: 400 with Loki\'s text', async () => {
      const r = await get(api, `/loki/api/v1/query?${q({ query: '{app="api"}' })}`);
      assert.equal(r.status, 400);
      assert.match(r.type, /^text\/plain/);
      assert.equal(r.body, 'log queries are not supported as an instant query type, please change your query to a range query type', 'no trailing newline, as Loki\'s WriteError');
    });

    test('syntax error: 400 with the parse error', async () => {
      const r = await get(api, `/loki/api/v1/query_range?${q({ query: '{app="api"', ...range })}`);
      assert.equal(r.status, 400);
      assert.match(r.body, /^parse error at line 1, col \d+: syntax error: unexpected/);
    });

    test('limit above max_entries_limit_per_query: 400', async () => {
      const r = await get(api, `/loki/api/v1/query_range?${q({ query: '{app="api"}', ...range, limit: 5001 })}`);
      assert.equal(r.status, 400);
      assert.equal(r.body, 'max entries limit per query exceeded, limit > max_entries_limit_per_query (5001 > 5000)');
    });

    test('label values, series (match[] as Grafana sends it), index stats', async () => {
      const lv = await get(api, `/loki/api/v1/label/app/values?${q({ ...range, query: '{env="prod"}' })}`);
      assert.deepEqual(lv.json(), { status: 'success', data: ['api'] });
      const none = await get(api, `/loki/api/v1/label/nope/values?${q(range)}`);
      assert.deepEqual(none.json(), { status: 'success' });
      const series = await get(api, `/loki/api/v1/series?${q({ 'match[]': '{app=~".+"}', ...range })}`);
      assert.deepEqual(series.json(), { status: 'success', data: [{ app: 'api', env: 'prod', service_name: 'api' }, { app: 'web', env: 'dev', service_name: 'web' }] });
      const seriesPost = await post(api, '/loki/api/v1/series', q({ 'match[]': '{env="dev"}', ...range }));
      assert.deepEqual(seriesPost.json(), { status: 'success', data: [{ app: 'web', env: 'dev', service_name: 'web' }] });
      const stats = await get(api, `/loki/api/v1/index/stats?${q({ query: '{app="api"}', ...range })}`);
      assert.equal(stats.body, '{"streams":1,"chunks":1,"bytes":' + String((stats.json() as { bytes: number }).bytes) + ',"entries":30}');
    });

    test('index volume and volume_range', async () => {
      const v = await get(api, `/loki/api/v1/index/volume?${q({ query: '{env=~".+"}', ...range })}`);
      const vb = v.json() as { status: string; data: { resultType: string; result: Array<{ metric: object; value: [number, string] }> } };
      assert.equal(vb.data.resultType, 'vector');
      assert.deepEqual(vb.data.result.map((r) => r.metric), [{ env: 'prod' }, { env: 'dev' }]);
      const vr = await get(api, `/loki/api/v1/index/volume_range?${q({ query: '{env=~".+"}', ...range, step: '1800s', targetLabels: 'app' })}`);
      const vrb = vr.json() as { data: { resultType: string; result: Array<{ metric: object; values: unknown[] }> } };
      assert.equal(vrb.data.resultType, 'matrix');
      assert.deepEqual(vrb.data.result.map((r) => r.metric).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ app: 'api' }, { app: 'web' }]);
    });

    test('detected labels, detected fields, detected field values', async () => {
      const dl = await get(api, `/loki/api/v1/detected_labels?${q(range)}`);
      assert.deepEqual(dl.json(), { detectedLabels: [{ label: 'app', cardinality: 2 }, { label: 'env', cardinality: 2 }, { label: 'service_name', cardinality: 2 }] });
      const df = await get(api, `/loki/api/v1/detected_fields?${q({ query: '{app="api"}', ...range, limit: 1000 })}`);
      const dfb = df.json() as { fields: Array<{ label: string; type: string; parsers: string[] | null }>; limit: number };
      assert.equal(dfb.limit, 1000);
      assert.deepEqual(dfb.fields.map((f) => [f.label, f.type, f.parsers]), [['path', 'string', ['json']], ['status', 'int', ['json']], ['trace_id', 'string', null], ['user_id', 'string', ['json']]]);
      const dv = await get(api, `/loki/api/v1/detected_field/status/values?${q({ query: '{app="api"}', ...range })}`);
      assert.deepEqual(dv.json(), { values: ['200', '500'], limit: 1000 });
      const empty = await get(api, `/loki/api/v1/detected_fields?${q({ query: '{app="none"}', ...range })}`);
      assert.deepEqual(empty.json(), {});
    });

    test('patterns, format_query, drilldown-limits, buildinfo-free endpoints', async () => {
      // Without pattern_ingester.enabled, Loki's querier has no pattern querier: 404.
      assert.equal((await get(api, `/loki/api/v1/patterns?${q({ query: '{app="api"}', ...range })}`)).status, 404);
      assert.equal((await get(api, `/loki/api/v1/patterns?${q({ query: '{app=~".*"}', ...range })}`)).status, 400);
      const f = await get(api, `/loki/api/v1/format_query?${q({ query: 'sum(rate({app="x"}|="a"[1m]))' })}`);
      assert.deepEqual(f.json(), { status: 'success', data: 'sum(rate({app="x"} |= "a"[1m]))' });
      const bad = await get(api, `/loki/api/v1/format_query?${q({ query: '{' })}`);
      assert.equal(bad.status, 400);
      assert.equal((bad.json() as { status: string }).status, 'invalid-query');
      const dd = await get(api, '/loki/api/v1/drilldown-limits');
      const ddb = dd.json() as { limits: Record<string, unknown>; pattern_ingester_enabled: boolean; version: string };
      assert.equal(ddb.limits.max_query_length, '30d1h');
      assert.equal(ddb.limits.max_entries_limit_per_query, 5000);
      assert.equal(ddb.pattern_ingester_enabled, false);
    });

    test('legacy endpoints: /api/prom/query (streams only), /api/prom/label, /api/prom/series', async () => {
      const r = await get(api, `/api/prom/query?${q({ query: '{app="api"}', ...range, limit: 1, regexp: 'p3' })}`);
      const body = r.json() as { streams: Array<{ labels: string; entries: Array<{ ts: string; line: string }> }>; stats: object };
      assert.equal(body.streams[0]?.labels, '{app="api", env="prod", service_name="api", trace_id="t27"}');
      assert.match(body.streams[0]?.entries[0]?.line ?? '', /p3/);
      const m = await get(api, `/api/prom/query?${q({ query: 'rate({app="api"}[1m])', ...range })}`);
      assert.equal(m.status, 400);
      assert.equal(m.body.trim(), 'legacy endpoints only support streams result type');
      assert.deepEqual((await get(api, `/api/prom/label?${q(range)}`)).json(), { values: ['app', 'env', 'service_name'] });
      assert.deepEqual((await get(api, `/api/prom/label/env/values?${q(range)}`)).json(), { values: ['dev', 'prod'] });
      assert.equal((await get(api, `/api/prom/series?${q({ match: '{app="web"}', ...range })}`)).status, 200);
    });

    test('tail without a websocket upgrade: 400', async () => {
      const r = await get(api, `/loki/api/v1/tail?${q({ query: '{app="api"}' })}`);
      assert.equal(r.status, 400);
      assert.match(r.body, /websocket/);
    });
  });
}

describe('tenancy, timeouts and failures', () => {
  test('auth enabled: no X-Scope-OrgID is 401 no org id; a tenant sees only its streams', async () => {
    const api = await startQueryApi({ backend: new FakeQueryBackend(sampleStreams()), nowNs: NOW, config: { auth_enabled: true } });
    try {
      const none = await get(api, `/loki/api/v1/labels?${q(range)}`);
      assert.equal(none.status, 401);
      assert.equal(none.body, 'no org id\n', 'dskit\'s tenant middleware writes with http.Error');
      const b = await get(api, `/loki/api/v1/label/app/values?${q(range)}`, { 'X-Scope-OrgID': 'team-b' });
      assert.deepEqual(b.json(), { status: 'success', data: ['other'] });
      const multi = await get(api, `/loki/api/v1/label/app/values?${q(range)}`, { 'X-Scope-OrgID': 'fake|team-b' });
      assert.equal(multi.status, 400);
      assert.equal(multi.body.trim(), 'multiple org IDs present');
    } finally {
      await api.close();
    }
  });

  test('multi-tenant queries enabled: a|b reads both tenants, through the frontend', async () => {
    const api = await startQueryApi({ backend: new FakeQueryBackend(sampleStreams()), viaFrontend: true, nowNs: NOW, config: { auth_enabled: true, querier: { multi_tenant_queries_enabled: true } } });
    try {
      const r = await get(api, `/loki/api/v1/label/app/values?${q(range)}`, { 'X-Scope-OrgID': 'fake|team-b' });
      assert.deepEqual(r.json(), { status: 'success', data: ['api', 'other', 'web'] });
    } finally {
      await api.close();
    }
  });

  test('query_timeout: 504 with Loki\'s text, the backend\'s signal aborted', async () => {
    let seen: AbortSignal | null = null;
    const backend = new FakeQueryBackend([]);
    backend.metricQuery = (_req, signal) => {
      seen = signal;
      return new Promise(() => {});
    };
    const base = testConfig().limits_config;
    const api = await startQueryApi({ backend, nowNs: NOW, limits: () => ({ ...base, query_timeout: 50 }) as LimitsConfig });
    try {
      const r = await get(api, `/loki/api/v1/query?${q({ query: 'vector(1)' })}`);
      assert.equal(r.status, 504);
      assert.equal(r.body.trim(), 'request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed');
      assert.equal((seen as AbortSignal | null)?.aborted, true);
    } finally {
      await api.close();
    }
  });

  test('a failing querier: 5xx pieces are retried by the frontend; a 400 is passed through unretried', async () => {
    const backend = new FakeQueryBackend(sampleStreams());
    const api = await startQueryApi({ backend, viaFrontend: true, nowNs: NOW, config: { query_range: { max_retries: 3 } } });
    try {
      backend.failWith = new FjordError('object_store_unavailable', 'store down');
      backend.failuresLeft = 2;
      const ok = await get(api, `/loki/api/v1/labels?${q(range)}`);
      assert.equal(ok.status, 200);
      backend.failWith = new FjordError('bad_request', 'nope');
      backend.failuresLeft = 1;
      const calls = backend.calls.length;
      const bad = await get(api, `/loki/api/v1/labels?${q(range)}`);
      assert.equal(bad.status, 400);
      assert.equal(backend.calls.length, calls + 1);
      backend.failWith = new FjordError('object_store_unavailable', 'store down');
      backend.failuresLeft = 10;
      const down = await get(api, `/loki/api/v1/labels?${q(range)}`);
      assert.equal(down.status, 503);
      assert.equal(down.body.trim(), 'store down');
    } finally {
      await api.close();
    }
  });
});
