/**
 * Sharding in the query frontend: which pieces are sharded and into how many shards, what the
 * queriers are asked, stats and metrics, the bound on a query's pieces in flight, the results
 * cache, and the refusal of a querier that answers a shard for every stream.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { FjordError } from '../../../../schemas/index.js';
import type { LimitsConfig } from '../../../../schemas/config/index.js';
import { formatShard } from '../../../../schemas/labels/index.js';
import { silentLogger } from '../../../../platform/index.js';
import { emptyStats, type MetricQueryRequest } from '../../../../query/engine/query-backend.js';
import { parseExpr, printExpr, type MetricResult, type SampleExpr } from '../../../../query/logql/index.js';
import { QueryFrontend, frontendMetrics, type FrontendOptions } from '../../../../query/frontend/index.js';
import { testConfig } from '../../../helpers/config.js';
import { FakeQueryBackend, type FakeStream } from '../../../helpers/fake-query-backend.js';

const S = 1_000_000_000n;
const H = 3600n * S;
const base = testConfig().limits_config;
const opts = (over: Partial<FrontendOptions> = {}): FrontendOptions => ({
  maxOutstandingPerTenant: 1000, logQueriesLongerThanMs: 0, maxRetries: 1, cacheResults: false, shardQueries: true, resultsCacheBytes: 1 << 20, localWorkers: 4, ...over,
});
const limits = (over: Partial<LimitsConfig> = {}) => ({ forTenant: () => ({ ...base, split_queries_by_interval: 3_600_000, ...over }) as LimitsConfig });

/** Forty streams over four hours, one entry a minute each. */
function streams(): FakeStream[] {
  return Array.from({ length: 40 }, (_, s) => ({
    labels: { app: `a${s % 4}`, pod: `p${s}` },
    entries: Array.from({ length: 240 }, (_, i) => ({ tsNs: BigInt(i) * 60n * S + BigInt(s), line: `level=${['info', 'error'][i % 2]} n=${i}` })),
  }));
}

const metric = (query: string, startNs: bigint, endNs: bigint, stepNs = 300n * S): MetricQueryRequest => ({ tenants: ['fake'], query, expr: parseExpr(query) as SampleExpr, startNs, endNs, stepNs });

async function withFrontend(backend: FakeQueryBackend | null, o: FrontendOptions, l: ReturnType<typeof limits>, fn: (f: QueryFrontend, reg: Registry) => Promise<void>): Promise<void> {
  const reg = new Registry();
  const f = new QueryFrontend(o, l, backend, frontendMetrics(reg), silentLogger(), () => Number(100n * H / 1_000_000n));
  await f.start();
  try {
    await fn(f, reg);
  } finally {
    await f.stop();
  }
}

const metricCalls = (b: FakeQueryBackend) => b.calls.filter((c) => c.method === 'metricQuery').map((c) => c.req as MetricQueryRequest);

async function metricValue(reg: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = (await reg.getMetricsAsJSON()).find((x) => x.name === name);
  const values = (m?.values ?? []) as Array<{ value: number; labels: Record<string, string | number>; metricName?: string }>;
  return values.filter((v) => (v.metricName === undefined || v.metricName === name || v.metricName === `${name}_count`) && Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((n, v) => n + v.value, 0);
}

test('sharding: a big piece runs as one piece per shard, rates as counts, and merges to the unsharded answer', async () => {
  const query = 'sum by (app) (rate({app=~".+"} | logfmt | level="error" [5m]))';
  const req = metric(query, H, 3n * H);
  const plain = await new FakeQueryBackend(streams()).metricQuery(req, new AbortController().signal);
  const backend = new FakeQueryBackend(streams());
  await withFrontend(backend, opts(), limits({ tsdb_max_bytes_per_shard: 20_000, tsdb_max_query_parallelism: 128 }), async (f, reg) => {
    const r = await f.metricQuery(req, new AbortController().signal);
    assert.deepEqual(r.result, plain.result);
    const splits = r.stats.splits;
    assert.equal(splits, 2);
    assert.equal(backend.calls.filter((c) => c.method === 'indexStats').length, splits, 'one index stats lookup per split');
    const calls = metricCalls(backend);
    for (const start of new Set(calls.map((c) => c.startNs))) {
      const piece = calls.filter((c) => c.startNs === start);
      const of = piece[0]?.shard?.of ?? 0;
      assert.ok(of >= 2 && (of & (of - 1)) === 0, `a power-of-two shard count (${of})`);
      assert.deepEqual(piece.map((c) => (c.shard === undefined ? '' : formatShard(c.shard))).sort(), Array.from({ length: of }, (_, i) => `${i}_of_${of}`).sort(), 'every shard once');
    }
    const counts = printExpr(parseExpr('sum by (app) (count_over_time({app=~".+"} | logfmt | level="error" [5m]))'));
    assert.ok(calls.every((c) => c.query === counts), calls[0]?.query);
    assert.equal(r.stats.shards, calls.length);
    assert.equal(await metricValue(reg, 'loki_query_frontend_shards_total', { mapper: 'shard', type: 'metrics' }), calls.length);
    assert.equal(await metricValue(reg, 'loki_query_frontend_sharding_parsed_queries_total', { type: 'success' }), splits);
    assert.equal(await metricValue(reg, 'loki_query_frontend_shard_factor'), splits, 'one observation per piece');
  });
});

test('sharding: an instant query is sharded over the data its range reads, offset included', async () => {
  const query = 'sum(count_over_time({app=~".+"}[1h] offset 1h))';
  const req = metric(query, 3n * H, 3n * H, 0n);
  const plain = await new FakeQueryBackend(streams()).metricQuery(req, new AbortController().signal);
  const backend = new FakeQueryBackend(streams());
  await withFrontend(backend, opts(), limits({ tsdb_max_bytes_per_shard: 20_000 }), async (f) => {
    const r = await f.metricQuery(req, new AbortController().signal);
    assert.deepEqual(r.result, plain.result);
    assert.equal(r.result.resultType, 'vector');
    const stats = backend.calls.find((c) => c.method === 'indexStats')?.req as { startNs: bigint; endNs: bigint };
    assert.deepEqual([stats.startNs, stats.endNs], [H + 1n, 2n * H + 1n], 'the entries of (2h − 1h, 3h − 1h]');
    assert.ok(r.stats.shards >= 2);
  });
});

test('sharding: a piece within tsdb_max_bytes_per_shard runs whole, after its index stats', async () => {
  const backend = new FakeQueryBackend(streams());
  await withFrontend(backend, opts(), limits(), async (f, reg) => {
    const r = await f.metricQuery(metric('rate({app="a1"}[5m])', H, 2n * H), new AbortController().signal);
    assert.equal(r.stats.shards, 0);
    assert.ok(metricCalls(backend).every((c) => c.shard === undefined && c.query === 'rate({app="a1"}[5m])'));
    assert.equal(backend.calls.filter((c) => c.method === 'indexStats').length, r.stats.splits);
    assert.equal(await metricValue(reg, 'loki_query_frontend_shards_total'), 0);
  });
});

const unshardable = [
  'avg by (app) (rate({app=~".+"}[5m]))',
  'count by (app) (count_over_time({app=~".+"}[5m]))',
  'topk(2, sum by (pod) (rate({app=~".+"}[5m])))',
  'max by (app) (count_over_time({app=~".+"}[5m]))',
  'sum(rate({app="a0"}[5m])) / sum(rate({app=~".+"}[5m]))',
  'label_replace(sum by (app) (rate({app=~".+"}[5m])), "x", "$1", "app", "a(.*)")',
  'absent_over_time({app="nope"}[5m])',
  'quantile_over_time(0.5, {app=~".+"} | logfmt | unwrap n [5m])',
];
for (const query of unshardable) {
  test(`sharding leaves alone: ${query}`, async () => {
    const req = metric(query, H, 2n * H);
    const backend = new FakeQueryBackend(streams());
    const plainBackend = new FakeQueryBackend(streams());
    let want: MetricResult | null = null;
    await withFrontend(plainBackend, opts({ shardQueries: false }), limits(), async (f) => {
      want = (await f.metricQuery(req, new AbortController().signal)).result;
    });
    await withFrontend(backend, opts(), limits({ tsdb_max_bytes_per_shard: 1 }), async (f, reg) => {
      const r = await f.metricQuery(req, new AbortController().signal);
      assert.deepEqual(r.result, want);
      assert.equal(r.stats.shards, 0);
      assert.equal(backend.calls.filter((c) => c.method === 'indexStats').length, 0, 'no index stats lookup');
      assert.ok(metricCalls(backend).every((c) => c.shard === undefined && c.query === query));
      assert.equal(await metricValue(reg, 'loki_query_frontend_sharding_parsed_queries_total', { type: 'noop' }), r.stats.splits);
    });
  });
}

test('sharding off (parallelise_shardable_queries: false): no index stats, no shards', async () => {
  const backend = new FakeQueryBackend(streams());
  await withFrontend(backend, opts({ shardQueries: false }), limits({ tsdb_max_bytes_per_shard: 1 }), async (f) => {
    const r = await f.metricQuery(metric('sum(rate({app=~".+"}[5m]))', H, 3n * H), new AbortController().signal);
    assert.deepEqual(backend.calls.map((c) => c.method), ['metricQuery', 'metricQuery']);
    assert.equal(r.stats.shards, 0);
  });
});

test('sharding: at most max_query_parallelism pieces of a query are in flight, across splits and shards', async () => {
  let inFlight = 0;
  let most = 0;
  class SlowBackend extends FakeQueryBackend {
    override async metricQuery(...args: Parameters<FakeQueryBackend['metricQuery']>) {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      return super.metricQuery(...args);
    }
  }
  const backend = new SlowBackend(streams());
  await withFrontend(backend, opts({ localWorkers: 8, maxOutstandingPerTenant: 3 }), limits({ max_query_parallelism: 3, tsdb_max_bytes_per_shard: 5_000, tsdb_max_query_parallelism: 16 }), async (f) => {
    const r = await f.metricQuery(metric('sum(count_over_time({app=~".+"}[5m]))', 0n, 4n * H), new AbortController().signal);
    assert.ok(r.stats.shards >= 16, `sharded (${r.stats.shards} shards)`);
    assert.ok(most <= 3 && most >= 2, `pieces in flight: ${most}`);
  });
});

test('sharding: the results cache keeps the merged piece; a second run runs nothing', async () => {
  const backend = new FakeQueryBackend(streams());
  await withFrontend(backend, opts({ cacheResults: true }), limits({ tsdb_max_bytes_per_shard: 20_000 }), async (f) => {
    const req = metric('sum by (app) (bytes_rate({app=~".+"}[10m]))', H, 3n * H);
    const first = await f.metricQuery(req, new AbortController().signal);
    const calls = backend.calls.length;
    const second = await f.metricQuery(req, new AbortController().signal);
    assert.deepEqual(second.result, first.result);
    assert.equal(backend.calls.length, calls);
    assert.ok(first.stats.shards > 0);
    assert.equal(second.stats.shards, 0);
    assert.equal(second.stats.resultsCacheHits, second.stats.splits);
  });
});

test('sharding: a querier that answers a shard for every stream (one that does not know shards) is refused', async () => {
  await withFrontend(null, opts({ localWorkers: 0 }), limits({ tsdb_max_bytes_per_shard: 1 }), async (f) => {
    const stop = new AbortController();
    const worker = (async () => {
      for (;;) {
        const job = await f.scheduler.takeJob(stop.signal);
        if (job === null) return;
        if (job.piece.kind === 'indexStats') f.scheduler.completeJob(job.id, { ok: true, result: { kind: 'indexStats', stats: { streams: 1, chunks: 1, entries: 1, bytes: 1000 } } });
        else f.scheduler.completeJob(job.id, { ok: true, result: { kind: 'metric', result: { resultType: 'vector', result: [] }, stats: emptyStats(), warnings: [], shard: null } });
      }
    })();
    await assert.rejects(
      f.metricQuery(metric('count_over_time({app="a"}[5m])', H, H, 0n), new AbortController().signal),
      (e: unknown) => e instanceof FjordError && e.code === 'internal' && e.message.includes('parallelise_shardable_queries'),
    );
    stop.abort();
    await worker;
  });
});
