/**
 * Remote queriers: a query-frontend server with no querier of its own, and a querier process
 * (its own fastify server serving the API directly, plus a QuerierWorker pulling pieces from the
 * frontend) — two servers over loopback. Answers through the frontend equal the querier's own;
 * errors cross the wire with their codes; the JSON wire forms round-trip.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { Registry } from 'prom-client';
import { FjordError } from '../../schemas/index.js';
import { labelsFromObject } from '../../schemas/labels/index.js';
import { HttpServer, silentLogger } from '../../platform/index.js';
import { emptyStats } from '../../query/engine/query-backend.js';
import { compileMatcher, parseExpr, type LogSelectorExpr, type SampleExpr } from '../../query/logql/index.js';
import { QuerierWorker, buildQueryFrontend, frontendMetrics } from '../../query/frontend/index.js';
import type { Piece, PieceResult } from '../../query/frontend/piece.js';
import { decodePiece, decodeResult, encodePiece, encodeResult } from '../../query/frontend/wire.js';
import { testConfig } from '../helpers/config.js';
import { FakeQueryBackend } from '../helpers/fake-query-backend.js';
import { startQueryApi } from '../helpers/query-api.js';
import { sampleStreams } from '../helpers/sample-streams.js';

const S = 1_000_000_000n;
const NOW = 1_700_000_000n * S;
const L = labelsFromObject;

test('wire: every piece and result kind survives JSON, bigints and NaN included', () => {
  const sel = { tenants: ['a', 'b'], matchers: [[compileMatcher({ name: 'app', type: '=~', value: 'x|y' })]], startNs: 1n, endNs: 9_000_000_000_000_000_000n };
  const pieces: Piece[] = [
    { kind: 'log', req: { tenants: ['a'], query: '{app="x"} |= "e"', expr: parseExpr('{app="x"} |= "e"') as LogSelectorExpr, startNs: 5n, endNs: 6n, limit: 10, direction: 'forward' } },
    { kind: 'metric', req: { tenants: ['a'], query: 'rate({app="x"}[1m])', expr: parseExpr('rate({app="x"}[1m])') as SampleExpr, startNs: 5n, endNs: 6n, stepNs: 1n } },
    { kind: 'metric', req: { tenants: ['a'], query: 'count_over_time({app="x"}[1m])', expr: parseExpr('count_over_time({app="x"}[1m])') as SampleExpr, startNs: 5n, endNs: 6n, stepNs: 1n, shard: { index: 3, of: 16 } } },
    { kind: 'series', req: sel },
    { kind: 'labelNames', req: sel },
    { kind: 'labelValues', req: { ...sel, name: 'app' } },
    { kind: 'indexStats', req: sel },
    { kind: 'volume', req: { ...sel, stepNs: 7n } },
    { kind: 'patterns', req: { tenants: ['a'], matchers: sel.matchers[0] ?? [], startNs: 1n, endNs: 2n, stepNs: 10_000_000_000n } },
  ];
  for (const p of pieces) {
    const back = decodePiece(JSON.parse(JSON.stringify(encodePiece(p))));
    assert.deepEqual(encodePiece(back), encodePiece(p), p.kind);
    if (back.kind === 'patterns') assert.equal(back.req.matchers[0]?.matches('y'), true);
    else if ('matchers' in back.req) assert.equal((back.req as typeof sel).matchers[0]?.[0]?.matches('y'), true);
  }
  const results: PieceResult[] = [
    { kind: 'log', streams: [{ labels: L({ app: 'x' }), entries: [{ tsNs: 1_700_000_000_123_456_789n, line: 'l', structuredMetadata: L({ t: '1' }), parsed: L({ p: '2' }) }] }], stats: { ...emptyStats(), linesProcessed: 3 }, warnings: ['partial answer: no caught-up ingester for partitions 1; lines still in those ingesters are missing'] },
    { kind: 'metric', result: { resultType: 'matrix', result: [{ metric: L({ a: 'b' }), values: [[1, NaN], [2, Infinity], [3, -Infinity], [4, 0.5]] }] }, stats: emptyStats(), warnings: ['w'], shard: null },
    { kind: 'metric', result: { resultType: 'vector', result: [{ metric: [], tsMs: 5, value: 2 }] }, stats: emptyStats(), warnings: [], shard: { index: 0, of: 2 } },
    { kind: 'metric', result: { resultType: 'scalar', result: { tsMs: 5, value: NaN } }, stats: emptyStats(), warnings: [], shard: null },
    { kind: 'series', series: [L({ a: '1' })] },
    { kind: 'labelNames', values: ['a'] },
    { kind: 'labelValues', values: ['1', '2'] },
    { kind: 'indexStats', stats: { streams: 1, chunks: 2, entries: 3, bytes: 4 } },
    { kind: 'volume', buckets: [{ tsNs: 9n, streams: [{ labels: L({ a: '1' }), bytes: 10, entries: 2 }] }] },
    { kind: 'patterns', series: [{ pattern: 'GET <_> 200', level: 'info', samples: [[1_700_000_000_000, 31], [1_700_000_010_000, 2]] }] },
  ];
  for (const r of results) assert.deepEqual(decodeResult(JSON.parse(JSON.stringify(encodeResult(r)))), r, r.kind);
  assert.equal((decodePiece(JSON.parse(JSON.stringify(encodePiece(pieces[2] as Piece)))).req as { shard?: unknown }).shard !== undefined, true, 'the shard travels');
  assert.equal((encodePiece(pieces[2] as Piece) as { shard: string }).shard, '3_of_16');
  const metric = encodeResult(results[1] as PieceResult) as Record<string, unknown>;
  delete metric.shard;
  assert.equal((decodeResult(metric) as { shard: unknown }).shard, null, 'a result without a shard (an older querier) covers every stream');
  assert.throws(() => decodePiece({ kind: 'nope' }), (e: unknown) => e instanceof FjordError && e.code === 'bad_request');
  assert.throws(() => decodeResult({ kind: 'log', streams: 'x' }), (e: unknown) => e instanceof FjordError && e.message === 'malformed streams');
});

async function twoServers(t: import('node:test').TestContext, backend: FakeQueryBackend) {
  const cfg = testConfig({ auth_enabled: false, server: { http_listen_port: 0, http_listen_address: '127.0.0.1' }, limits_config: { split_queries_by_interval: '20m' }, query_range: { max_retries: 2 } });
  const server = new HttpServer(cfg.server, silentLogger(), new Registry());
  const { frontend, service } = buildQueryFrontend(cfg, server.app, { forTenant: () => cfg.limits_config }, null, frontendMetrics(new Registry()), silentLogger(), 'test');
  await service.start(new AbortController().signal);
  await server.start();
  const querier = await startQueryApi({ backend, nowNs: NOW, listen: true });
  const worker = new QuerierWorker({ frontendAddress: `127.0.0.1:${(server.app.server.address() as AddressInfo).port}`, concurrency: 2, pullWaitMs: 200 }, backend, silentLogger());
  await worker.start();
  t.after(async () => {
    await worker.stop();
    await service.stop();
    await server.stop();
    await querier.close();
  });
  return { frontendApp: server.app, querierApp: querier.server.app, frontend };
}

const qs = (p: Record<string, string | bigint | number>): string => new URLSearchParams(Object.entries(p).map(([k, v]): [string, string] => [k, String(v)])).toString();

test('two servers over loopback: answers through the frontend equal the querier\'s own', async (t) => {
  const backend = new FakeQueryBackend(sampleStreams());
  const { frontendApp, querierApp } = await twoServers(t, backend);
  const range = { start: NOW - 3600n * S, end: NOW };
  const urls = [
    `/loki/api/v1/query_range?${qs({ query: '{env=~".+"} | logfmt', ...range, limit: 17, direction: 'forward' })}`,
    `/loki/api/v1/query_range?${qs({ query: '{app="api"} | json', ...range, limit: 9 })}`,
    // step-aligned, since the frontend aligns metric queries to the step as Loki's does
    `/loki/api/v1/query_range?${qs({ query: 'sum by (app) (count_over_time({env=~".+"}[10m]))', start: 1_699_996_200n * S, end: 1_699_999_800n * S, step: '600s' })}`,
    `/loki/api/v1/query?${qs({ query: 'sum(count_over_time({env=~".+"}[1h]))', time: NOW })}`,
    `/loki/api/v1/labels?${qs(range)}`,
    `/loki/api/v1/label/app/values?${qs(range)}`,
    `/loki/api/v1/series?${qs({ 'match[]': '{env=~".+"}', ...range })}`,
    `/loki/api/v1/index/stats?${qs({ query: '{env="prod"}', ...range })}`,
    `/loki/api/v1/index/volume?${qs({ query: '{env=~".+"}', ...range })}`,
  ];
  for (const url of urls) {
    const viaFrontend = await frontendApp.inject({ url });
    const direct = await querierApp.inject({ url });
    assert.equal(viaFrontend.statusCode, 200, `${url}: ${viaFrontend.body}`);
    const strip = (body: string): unknown => {
      const j = JSON.parse(body) as { data?: { stats?: unknown } };
      if (j.data && typeof j.data === 'object' && 'stats' in j.data) delete j.data.stats;
      return j;
    };
    assert.deepEqual(strip(viaFrontend.body), strip(direct.body), url);
  }
  assert.ok(backend.calls.length > urls.length * 2, 'pieces were split and ran on the remote querier');
});

test('two servers: errors cross the wire with their status; 5xx pieces are retried', async (t) => {
  const backend = new FakeQueryBackend(sampleStreams());
  const { frontendApp } = await twoServers(t, backend);
  backend.failWith = new FjordError('bad_request', 'bad matcher somewhere');
  backend.failuresLeft = 1;
  const bad = await frontendApp.inject({ url: `/loki/api/v1/labels?${qs({ start: NOW - S, end: NOW })}` });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.body.trim(), 'bad matcher somewhere');
  backend.failWith = new FjordError('object_store_unavailable', 'store down');
  backend.failuresLeft = 1;
  const retried = await frontendApp.inject({ url: `/loki/api/v1/labels?${qs({ start: NOW - 3600n * S, end: NOW })}` });
  assert.equal(retried.statusCode, 200);
  assert.deepEqual(JSON.parse(retried.body), { status: 'success', data: ['app', 'env', 'service_name'] });
});

test('a querier whose pull is never answered gives up on it once it is past its wait, pulls again and runs pieces', { timeout: 60_000 }, async (t) => {
  const cfg = testConfig({ auth_enabled: false, server: { http_listen_port: 0, http_listen_address: '127.0.0.1' } });
  const server = new HttpServer(cfg.server, silentLogger(), new Registry());
  const { service } = buildQueryFrontend(cfg, server.app, { forTenant: () => cfg.limits_config }, null, frontendMetrics(new Registry()), silentLogger(), 'test');
  await service.start(new AbortController().signal);
  await server.start();
  const frontendPort = (server.app.server.address() as AddressInfo).port;
  // In front of the frontend: the first connection is accepted and never answered (a frozen
  // frontend, or one closed on accept that Node's fetch does not notice), the others pass through.
  let connections = 0;
  const sockets = new Set<Socket>();
  const front = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (++connections === 1) return;
    const upstream = connect(frontendPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const backend = new FakeQueryBackend(sampleStreams());
  const worker = new QuerierWorker({ frontendAddress: `127.0.0.1:${(front.address() as AddressInfo).port}`, concurrency: 1, pullWaitMs: 200, retryDelayMs: 50 }, backend, silentLogger());
  await worker.start();
  t.after(async () => {
    await worker.stop();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await service.stop();
    await server.stop();
  });
  const answer = await server.app.inject({ url: `/loki/api/v1/labels?${qs({ start: NOW - 3600n * S, end: NOW })}` });
  assert.equal(answer.statusCode, 200, answer.body);
  assert.deepEqual(JSON.parse(answer.body), { status: 'success', data: ['app', 'env', 'service_name'] });
  assert.ok(connections >= 2, `connections: ${connections}`);
});

test('pull protocol: an idle long poll answers 204; an unknown result id is 404', async (t) => {
  const cfg = testConfig({ server: { http_listen_port: 0 } });
  const server = new HttpServer(cfg.server, silentLogger(), new Registry());
  const { service } = buildQueryFrontend(cfg, server.app, { forTenant: () => cfg.limits_config }, null, frontendMetrics(new Registry()), silentLogger(), 'test');
  await server.app.ready();
  t.after(async () => {
    await service.stop();
    await server.stop();
  });
  const idle = await server.app.inject({ method: 'POST', url: '/frontend/pull?wait_ms=50' });
  assert.equal(idle.statusCode, 204);
  const unknown = await server.app.inject({ method: 'POST', url: '/frontend/result/42', payload: { ok: true, result: { kind: 'labelNames', values: [] } } });
  assert.equal(unknown.statusCode, 404);
});
