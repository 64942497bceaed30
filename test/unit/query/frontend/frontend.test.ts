/**
 * The query frontend over an in-memory querier: log queries walk pieces in direction order and
 * stop once `limit` entries are in hand (Loki's split_by_interval Process); metric pieces come
 * from the results cache the second time; a full tenant queue is 429; queued pieces are served
 * round-robin; the slow-query log; max_query_series; partial answers' warnings passed on once,
 * and their pieces kept out of the results cache.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { FjordError } from '../../../../schemas/index.js';
import type { LimitsConfig } from '../../../../schemas/config/index.js';
import { silentLogger, type Logger } from '../../../../platform/index.js';
import { partialIngesterWarning, type LogQueryRequest, type MetricQueryRequest, type QueryBackend } from '../../../../query/engine/query-backend.js';
import { parseExpr, type LogSelectorExpr, type SampleExpr } from '../../../../query/logql/index.js';
import { QueryFrontend, frontendMetrics, type FrontendOptions } from '../../../../query/frontend/index.js';
import { hasFilter } from '../../../../query/frontend/query-shape.js';
import { testConfig } from '../../../helpers/config.js';
import { FakeQueryBackend, type FakeStream } from '../../../helpers/fake-query-backend.js';

const S = 1_000_000_000n;
const H = 3600n * S;
const base = testConfig().limits_config;
const opts = (over: Partial<FrontendOptions> = {}): FrontendOptions => ({
  maxOutstandingPerTenant: 100, logQueriesLongerThanMs: 0, maxRetries: 1, cacheResults: false, shardQueries: false, resultsCacheBytes: 1 << 20, localWorkers: 2, ...over,
});
const limits = (over: Partial<Record<keyof LimitsConfig, number>> = {}) => ({ forTenant: () => ({ ...base, ...over }) as LimitsConfig });

function streams(): FakeStream[] {
  const entries = [];
  for (let h = 0; h < 10; h++) for (let i = 0; i < 5; i++) entries.push({ tsNs: BigInt(h) * H + BigInt(i) * 60n * S, line: `h${h} i${i}` });
  return [{ labels: { app: 'a' }, entries }, { labels: { app: 'b' }, entries: entries.map((e) => ({ ...e, line: `b ${e.line}` })) }];
}

async function withFrontend(backend: QueryBackend, o: FrontendOptions, l = limits(), fn: (f: QueryFrontend) => Promise<void>, logger: Logger = silentLogger(), nowMs?: () => number): Promise<void> {
  const f = new QueryFrontend(o, l, backend, frontendMetrics(new Registry()), logger, nowMs);
  await f.start();
  try {
    await fn(f);
  } finally {
    await f.stop();
  }
}

const logReq = (query: string, limit: number, direction: 'forward' | 'backward'): LogQueryRequest => ({
  tenants: ['fake'], query, expr: parseExpr(query) as LogSelectorExpr, startNs: 0n, endNs: 10n * H, limit, direction,
});

test('log query: pieces walked newest first for backward, stopping once the limit is reached', async () => {
  const backend = new FakeQueryBackend(streams());
  await withFrontend(backend, opts(), limits({ max_query_parallelism: 1 }), async (f) => {
    const r = await f.logQuery(logReq('{app="a"}', 7, 'backward'), new AbortController().signal);
    assert.deepEqual(r.streams[0]?.entries.map((e) => e.line), ['h9 i4', 'h9 i3', 'h9 i2', 'h9 i1', 'h9 i0', 'h8 i4', 'h8 i3']);
    const asked = backend.calls.filter((c) => c.method === 'logQuery').map((c) => (c.req as LogQueryRequest).startNs / H);
    assert.deepEqual(asked, [9n, 8n], 'only the two newest hours were asked for');
    assert.equal(r.stats.splits, 10);
  });
});

test('hasFilter: Loki\'s rule (empty |= and |~ filters do not count)', () => {
  const cases: Array<[string, boolean]> = [['{a="b"}', false], ['{a="b"} |= ""', false], ['{a="b"} | json', false], ['{a="b"} |= "x"', true], ['{a="b"} != ""', true], ['{a="b"} | level="error"', true]];
  for (const [q, want] of cases) assert.equal(hasFilter(parseExpr(q) as LogSelectorExpr), want, q);
});

test('log query: a filtered query runs pieces in parallel, still stopping at the limit', async () => {
  const backend = new FakeQueryBackend(streams());
  await withFrontend(backend, opts({ localWorkers: 4 }), limits({ max_query_parallelism: 4 }), async (f) => {
    const r = await f.logQuery(logReq('{app="a"} |= "i"', 3, 'backward'), new AbortController().signal);
    assert.deepEqual(r.streams[0]?.entries.map((e) => e.line), ['h9 i4', 'h9 i3', 'h9 i2']);
    assert.ok(backend.calls.length <= 4, `${backend.calls.length} pieces asked for`);
  });
});

test('log query: forward direction merges streams and equals the unsplit answer', async () => {
  const backend = new FakeQueryBackend(streams());
  const whole = await backend.logQuery(logReq('{app=~"a|b"}', 23, 'forward'), new AbortController().signal);
  await withFrontend(new FakeQueryBackend(streams()), opts(), limits(), async (f) => {
    const r = await f.logQuery(logReq('{app=~"a|b"}', 23, 'forward'), new AbortController().signal);
    assert.deepEqual(r.streams, whole.streams);
  });
});

test('metric query: the second run is served from the results cache (old pieces only)', async () => {
  const backend = new FakeQueryBackend(streams());
  const query = 'sum(count_over_time({app="a"}[1h]))';
  const req = { tenants: ['fake'], query, expr: parseExpr(query) as SampleExpr, startNs: H, endNs: 10n * H, stepNs: H };
  const nowMs = () => Number(10n * H / 1_000_000n) + 5 * 60_000;
  await withFrontend(backend, opts({ cacheResults: true }), limits(), async (f) => {
    const first = await f.metricQuery(req, new AbortController().signal);
    const callsAfterFirst = backend.calls.length;
    const second = await f.metricQuery(req, new AbortController().signal);
    assert.deepEqual(second.result, first.result);
    assert.equal(first.stats.resultsCacheHits, 0);
    // ten one-step pieces (step = split interval); those ending within 10 minutes of now are not cached
    assert.equal(second.stats.resultsCacheHits, 8);
    assert.equal(backend.calls.length - callsAfterFirst, 2, 'only the two fresh pieces ran again');
  }, silentLogger(), nowMs);
});

/** A querier whose pieces answer without the partitions `missing` names for their start (a partial answer with its warning). */
class PartialBackend extends FakeQueryBackend {
  constructor(s: FakeStream[], private readonly missing: (startNs: bigint) => number[]) {
    super(s);
  }

  private warned<T extends { warnings: string[] }>(startNs: bigint, r: T): T {
    const partitions = this.missing(startNs);
    return partitions.length === 0 ? r : { ...r, warnings: [...r.warnings, partialIngesterWarning(partitions)] };
  }

  override async logQuery(req: LogQueryRequest, signal: AbortSignal) {
    return this.warned(req.startNs, await super.logQuery(req, signal));
  }

  override async metricQuery(req: MetricQueryRequest, signal: AbortSignal) {
    return this.warned(req.startNs, await super.metricQuery(req, signal));
  }
}

test('log query: the pieces\' partial-answer warnings are passed on, each once', async () => {
  const missing = (startNs: bigint): number[] => (startNs === 2n * H || startNs === 3n * H ? [3] : startNs === 5n * H ? [7, 3] : []);
  await withFrontend(new PartialBackend(streams(), missing), opts(), limits(), async (f) => {
    const r = await f.logQuery(logReq('{app="a"}', 1000, 'backward'), new AbortController().signal);
    assert.equal(r.streams[0]?.entries.length, 50, 'what the pieces answered is all there');
    assert.deepEqual(r.warnings, [partialIngesterWarning([3, 7]), partialIngesterWarning([3])]);
  });
  await withFrontend(new FakeQueryBackend(streams()), opts(), limits(), async (f) => {
    assert.deepEqual((await f.logQuery(logReq('{app="a"}', 1000, 'backward'), new AbortController().signal)).warnings, []);
  });
});

test('metric query: a piece answered partially carries its warning and is not kept in the results cache', async () => {
  const query = 'sum(count_over_time({app="a"}[1h]))';
  const req = { tenants: ['fake'], query, expr: parseExpr(query) as SampleExpr, startNs: H, endNs: 10n * H, stepNs: H };
  const nowMs = () => Number(10n * H / 1_000_000n) + 5 * 60_000;
  const warnedOnce = new Set<bigint>();
  let partial = true;
  const backend = new PartialBackend(streams(), (startNs) => {
    if (!partial || startNs >= 5n * H) return [];
    warnedOnce.add(startNs);
    return [2];
  });
  await withFrontend(backend, opts({ cacheResults: true }), limits(), async (f) => {
    const first = await f.metricQuery(req, new AbortController().signal);
    assert.deepEqual(first.warnings, [partialIngesterWarning([2])]);
    assert.ok(warnedOnce.size > 0);
    partial = false;
    const callsAfterFirst = backend.calls.length;
    const second = await f.metricQuery(req, new AbortController().signal);
    assert.deepEqual(second.warnings, []);
    // 8 old pieces are cacheable (as above); the partial ones were not stored and ran again
    assert.equal(second.stats.resultsCacheHits, 8 - warnedOnce.size);
    assert.equal(backend.calls.length - callsAfterFirst, 2 + warnedOnce.size);
  }, silentLogger(), nowMs);
});

test('metric query: more series than max_query_series is Loki\'s 400', async () => {
  const backend = new FakeQueryBackend(streams());
  const query = 'count_over_time({app=~".+"}[1h])';
  await withFrontend(backend, opts(), limits({ max_query_series: 1 }), async (f) => {
    await assert.rejects(
      f.metricQuery({ tenants: ['fake'], query, expr: parseExpr(query) as SampleExpr, startNs: H, endNs: 5n * H, stepNs: H }, new AbortController().signal),
      (e: unknown) => e instanceof FjordError && e.code === 'bad_request' && e.message.startsWith('maximum number of series (1) reached for a single query'),
    );
  });
});

test('metric query: past max_query_series a Logs Drilldown request gets the first series and Loki\'s warning', async () => {
  const backend = new FakeQueryBackend(streams());
  const query = 'count_over_time({app=~".+"}[1h])';
  await withFrontend(backend, opts(), limits({ max_query_series: 1 }), async (f) => {
    const r = await f.metricQuery({ tenants: ['fake'], query, expr: parseExpr(query) as SampleExpr, startNs: H, endNs: 5n * H, stepNs: H, drilldown: true }, new AbortController().signal);
    assert.equal(r.result.resultType === 'matrix' ? r.result.result.length : -1, 1);
    assert.deepEqual(r.warnings, ['maximum number of series (1) reached for a single query; returning partial results']);
  });
});

/** A backend whose calls wait until released, to hold pieces in the queue. */
class GatedBackend extends FakeQueryBackend {
  readonly order: string[] = [];
  private gates: Array<() => void> = [];
  release(): void {
    for (const g of this.gates.splice(0)) g();
  }
  override async labelNames(req: Parameters<FakeQueryBackend['labelNames']>[0], signal: AbortSignal): Promise<string[]> {
    this.order.push(req.tenants.join('|'));
    await new Promise<void>((r) => this.gates.push(r));
    return super.labelNames(req, signal);
  }
}

test('queue: past max_outstanding_per_tenant the query fails with 429; other tenants still get in', async () => {
  const backend = new GatedBackend([]);
  await withFrontend(backend, opts({ maxOutstandingPerTenant: 2, localWorkers: 1 }), limits(), async (f) => {
    const sel = (tenant: string) => ({ tenants: [tenant], matchers: [], startNs: 0n, endNs: H });
    const running = [f.labelNames(sel('a'), new AbortController().signal)];
    while (backend.order.length === 0) await new Promise((r) => setTimeout(r, 5));
    running.push(f.labelNames(sel('a'), new AbortController().signal), f.labelNames(sel('a'), new AbortController().signal));
    await assert.rejects(f.labelNames(sel('a'), new AbortController().signal), (e: unknown) => e instanceof FjordError && e.code === 'too_many_outstanding_requests' && e.message === 'too many outstanding requests');
    running.push(f.labelNames(sel('b'), new AbortController().signal));
    for (let i = 0; i < 10 && backend.order.length < 4; i++) {
      backend.release();
      await new Promise((r) => setTimeout(r, 10));
    }
    backend.release();
    await Promise.all(running);
    assert.deepEqual(backend.order, ['a', 'a', 'b', 'a'], 'b is served before a\'s last queued piece');
  });
});

test('a cancelled query takes its queued pieces out of the queue', async () => {
  const backend = new GatedBackend([]);
  await withFrontend(backend, opts({ localWorkers: 1 }), limits(), async (f) => {
    const sel = { tenants: ['a'], matchers: [], startNs: 0n, endNs: H };
    const first = f.labelNames(sel, new AbortController().signal);
    while (backend.order.length === 0) await new Promise((r) => setTimeout(r, 5));
    const ctl = new AbortController();
    const second = f.labelNames(sel, ctl.signal);
    assert.equal(f.scheduler.queued, 1);
    ctl.abort(new FjordError('client_closed', 'gone'));
    await assert.rejects(second, /gone/);
    assert.equal(f.scheduler.queued, 0);
    backend.release();
    await first;
  });
});

test('slow-query log: queries longer than log_queries_longer_than are logged with tenant, query and stats', async () => {
  const lines: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  const logger: Logger = { debug() {}, info: (fields, msg) => lines.push({ fields, msg }), warn() {}, error() {}, child: () => logger };
  let t = 0;
  const clock = () => (t += 600);
  await withFrontend(new FakeQueryBackend(streams()), opts({ logQueriesLongerThanMs: 1000 }), limits(), async (f) => {
    await f.logQuery(logReq('{app="a"}', 5, 'backward'), new AbortController().signal);
  }, logger, clock);
  const slow = lines.find((l) => l.msg === 'slow query');
  assert.ok(slow, 'a slow query line was logged');
  assert.equal(slow.fields.tenant, 'fake');
  assert.equal(slow.fields.query, '{app="a"}');
  assert.equal(typeof slow.fields.linesProcessed, 'number');
});
