/**
 * Property: a sharded metric query answers exactly what the same query answers unsharded. Random
 * corpora (streams whose labels collide after drop / label_format / keep, logfmt lines with
 * numbers and durations, repeated timestamps) and every shardable shape, as range queries (split
 * or not, with and without offset) and as instant queries, through two query frontends over the
 * same in-memory querier: one with parallelise_shardable_queries and a tiny
 * tsdb_max_bytes_per_shard, one without. Results must be equal sample for sample — except for
 * nested sums over a rate, where the unsharded evaluator rounds each inner group's quotient
 * before adding and the sharded merge divides the exact total once: those agree to 1e-12.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { FjordError } from '../../../../schemas/index.js';
import type { LimitsConfig } from '../../../../schemas/config/index.js';
import { silentLogger } from '../../../../platform/index.js';
import type { MetricQueryRequest } from '../../../../query/engine/query-backend.js';
import { parseExpr, type MetricResult, type SampleExpr } from '../../../../query/logql/index.js';
import { QueryFrontend, frontendMetrics, type FrontendOptions } from '../../../../query/frontend/index.js';
import { shardPlanOf } from '../../../../query/frontend/shard-plan.js';
import { testConfig } from '../../../helpers/config.js';
import { FakeQueryBackend, type FakeStream } from '../../../helpers/fake-query-backend.js';
import { randomInt, seededRandom } from '../../../helpers/random.js';

const S = 1_000_000_000n;
const MIN = 60n * S;
const H = 60n * MIN;
const base = testConfig().limits_config;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[randomInt(r, 0, xs.length - 1)] as T;

/** Streams over six hours: labels app/pod (some with env), logfmt lines, some timestamps shared. */
function corpus(r: Rand): FakeStream[] {
  const streams: FakeStream[] = [];
  for (let s = randomInt(r, 3, 14); s > 0; s--) {
    const labels: Record<string, string> = { app: `a${randomInt(r, 0, 3)}`, pod: `p${randomInt(r, 0, 5)}` };
    if (r() < 0.3) labels.env = pick(r, ['prod', 'dev']);
    if (streams.some((x) => JSON.stringify(x.labels) === JSON.stringify(labels))) continue;
    const entries = [];
    let t = BigInt(randomInt(r, 0, 600)) * S;
    for (let n = randomInt(r, 5, 120); n > 0 && t < 6n * H; n--) {
      const level = pick(r, ['info', 'warn', 'error']);
      entries.push({ tsNs: t, line: `level=${level} method=${pick(r, ['GET', 'POST'])} latency=${randomInt(r, 0, 900)} took=${randomInt(r, 0, 40) * 25}ms msg="${'x'.repeat(randomInt(r, 0, 30))}"` });
      if (r() > 0.1) t += BigInt(randomInt(r, 1, 300)) * S + BigInt(randomInt(r, 0, 999));
    }
    streams.push({ labels, entries });
  }
  return streams;
}

const SELECTORS = ['{app="a1"}', '{app=~"a[0-2]"}', '{app=~".+"}', '{app=~".+", pod!="p1"}', '{env=~".+"}'];
/** Pipelines; drop/keep/label_format make different streams share labels. */
const PIPES = ['', ' |= "GET"', ' | logfmt', ' | logfmt | level="error"', ' | drop pod', ' | logfmt | label_format pod="x"', ' | logfmt | keep app, level'];
/** Pipelines for unwrap; the last one makes some unwrapped values fail (the query is then a 400 either way). */
const LOGFMT_PIPES = [' | logfmt', ' | logfmt | method="GET"', ' | logfmt | drop pod', ' | logfmt | label_format app="same"', ' | logfmt | label_format latency="{{.msg}}", took="{{.msg}}"'];
const RANGES = ['1m', '5m', '30m', '1h'];

/** Every shardable shape; `exact: false` marks nested sums over a rate (see the file comment). */
const SHAPES: ReadonlyArray<{ readonly name: string; readonly exact: boolean; readonly make: (sel: string, pipe: string, logfmtPipe: string, range: string) => string }> = [
  { name: 'count_over_time', exact: true, make: (s, p, _l, g) => `count_over_time(${s}${p} ${g})` },
  { name: 'rate', exact: true, make: (s, p, _l, g) => `rate(${s}${p} ${g})` },
  { name: 'bytes_over_time', exact: true, make: (s, p, _l, g) => `bytes_over_time(${s}${p} ${g})` },
  { name: 'bytes_rate', exact: true, make: (s, p, _l, g) => `bytes_rate(${s}${p} ${g})` },
  { name: 'sum_over_time unwrap', exact: true, make: (s, _p, l, g) => `sum_over_time(${s}${l} | unwrap latency ${g})` },
  { name: 'rate unwrap', exact: true, make: (s, _p, l, g) => `rate(${s}${l} | unwrap latency ${g})` },
  { name: 'sum by over rate', exact: true, make: (s, _p, l, g) => `sum by (level) (rate(${s}${l} ${g}))` },
  { name: 'sum without over count', exact: true, make: (s, p, _l, g) => `sum without (pod) (count_over_time(${s}${p} ${g}))` },
  { name: 'sum over bytes_rate', exact: true, make: (s, p, _l, g) => `sum(bytes_rate(${s}${p} ${g}))` },
  { name: 'nested sums over count', exact: true, make: (s, p, _l, g) => `sum by (app) (sum by (app, pod) (count_over_time(${s}${p} ${g})))` },
  { name: 'nested sums over sum_over_time', exact: true, make: (s, _p, l, g) => `sum(sum by (app, level) (sum_over_time(${s}${l} | unwrap latency ${g})))` },
  { name: 'nested sums over rate', exact: false, make: (s, _p, l, g) => `sum by (app) (sum by (app, level) (rate(${s}${l} ${g})))` },
  { name: 'max_over_time', exact: true, make: (s, _p, l, g) => `max_over_time(${s}${l} | unwrap duration(took) ${g})` },
  { name: 'max by over max_over_time by', exact: true, make: (s, _p, l, g) => `max by (app) (max_over_time(${s}${l} | unwrap duration(took) ${g}) by (app, level))` },
  { name: 'min_over_time', exact: true, make: (s, _p, l, g) => `min_over_time(${s}${l} | unwrap latency ${g})` },
  { name: 'min over min_over_time', exact: true, make: (s, _p, l, g) => `min(min_over_time(${s}${l} | unwrap duration(took) ${g}))` },
];

function close(a: number, b: number): boolean {
  return Object.is(a, b) || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

function assertSame(got: MetricResult, want: MetricResult, exact: boolean, what: string): void {
  if (exact) return assert.deepEqual(got, want, what);
  const strip = (r: MetricResult) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' ? 0 : v));
  assert.equal(strip(got), strip(want), `${what}: same series and times`);
  const values = (r: MetricResult): number[] =>
    r.resultType === 'matrix' ? r.result.flatMap((s) => s.values.map((v) => v[1])) : r.resultType === 'vector' ? r.result.map((s) => s.value) : [r.result.value];
  values(got).forEach((v, i) => assert.ok(close(v, values(want)[i] as number), `${what}: ${v} vs ${values(want)[i]}`));
}

async function outcome(f: QueryFrontend, req: MetricQueryRequest): Promise<{ ok: true; result: MetricResult; shards: number } | { ok: false; code: string }> {
  try {
    const r = await f.metricQuery(req, new AbortController().signal);
    return { ok: true, result: r.result, shards: r.stats.shards };
  } catch (err) {
    if (err instanceof FjordError) return { ok: false, code: err.code };
    throw err;
  }
}

const opts = (shardQueries: boolean, cacheResults: boolean): FrontendOptions => ({
  maxOutstandingPerTenant: 10_000, logQueriesLongerThanMs: 0, maxRetries: 1, cacheResults, shardQueries, resultsCacheBytes: 64 << 20, localWorkers: 3,
});

test('property: every shardable shape answers the same sharded as unsharded, range and instant, on random corpora', async () => {
  const r = seededRandom(20240611);
  let runs = 0;
  let sharded = 0;
  let failed = 0;
  const perShape = new Map<string, number>();
  for (let c = 0; c < 80; c++) {
    const backend = new FakeQueryBackend(corpus(r));
    const limits: LimitsConfig = {
      ...base,
      split_queries_by_interval: pick(r, [0, 30 * 60_000, 3_600_000]),
      max_query_parallelism: randomInt(r, 1, 6),
      tsdb_max_query_parallelism: pick(r, [2, 3, 4, 8, 16]),
      tsdb_max_bytes_per_shard: randomInt(r, 20, 1500),
      max_query_series: 0,
    };
    const perTenant = { forTenant: () => limits };
    const nowMs = () => 1_000_000_000;
    const plain = new QueryFrontend(opts(false, false), perTenant, backend, frontendMetrics(new Registry()), silentLogger(), nowMs);
    const sharding = new QueryFrontend(opts(true, c % 2 === 0), perTenant, backend, frontendMetrics(new Registry()), silentLogger(), nowMs);
    await plain.start();
    await sharding.start();
    try {
      for (let q = 0; q < 8; q++) {
        const shape = SHAPES[(c * 8 + q) % SHAPES.length] as (typeof SHAPES)[number];
        const range = `[${pick(r, RANGES)}]${r() < 0.3 ? ` offset ${pick(r, ['5m', '1h'])}` : ''}`;
        const query = shape.make(pick(r, SELECTORS), pick(r, PIPES), pick(r, LOGFMT_PIPES), range);
        const expr = parseExpr(query) as SampleExpr;
        assert.ok(shardPlanOf(expr) !== null, `${query} is shardable`);
        const instant = r() < 0.35;
        const stepNs = pick(r, [60n, 300n, 1020n]) * S;
        const startNs = BigInt(randomInt(r, 0, 5 * 3600)) * S;
        const req: MetricQueryRequest = instant
          ? { tenants: ['fake'], query, expr, startNs, endNs: startNs, stepNs: 0n }
          : { tenants: ['fake'], query, expr, startNs, endNs: startNs + BigInt(randomInt(r, 1, 4 * 3600)) * S, stepNs };
        const want = await outcome(plain, req);
        if (!want.ok) failed++;
        for (let round = 0; round < 2; round++) {
          const got = await outcome(sharding, req);
          const what = `${instant ? 'instant' : 'range'} ${query} (corpus ${c}, round ${round})`;
          assert.equal(got.ok, want.ok, `${what}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
          if (got.ok && want.ok) assertSame(got.result, want.result, shape.exact, what);
          else assert.deepEqual(got, want, what);
          if (round === 0 && got.ok && got.shards > 0) sharded++;
        }
        runs++;
        perShape.set(shape.name, (perShape.get(shape.name) ?? 0) + 1);
      }
    } finally {
      await sharding.stop();
      await plain.stop();
    }
  }
  assert.equal(perShape.size, SHAPES.length, 'every shape was tried');
  assert.ok(sharded > runs / 2, `most queries were actually sharded (${sharded} of ${runs})`);
  assert.ok(failed > 0 && failed < runs / 10, `some queries failed on unwrap errors, sharded and unsharded alike (${failed})`);
});
