/**
 * Identical cacheable metric pieces of concurrent queries run once: the second query waits for the
 * first one's pieces instead of sending its own (what keeps a dashboard of identical panels cheap
 * while the results cache is still cold).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { LimitsConfig } from '../../../../schemas/config/index.js';
import { silentLogger } from '../../../../platform/index.js';
import type { MetricQueryRequest } from '../../../../query/engine/query-backend.js';
import { parseExpr, type SampleExpr } from '../../../../query/logql/index.js';
import { QueryFrontend, frontendMetrics } from '../../../../query/frontend/index.js';
import { testConfig } from '../../../helpers/config.js';
import { FakeQueryBackend } from '../../../helpers/fake-query-backend.js';

const S = 1_000_000_000n;
const H = 3600n * S;

/** A backend whose metric pieces take a while, so that concurrent queries overlap. */
class SlowBackend extends FakeQueryBackend {
  override async metricQuery(req: MetricQueryRequest, signal: AbortSignal) {
    await new Promise((r) => setTimeout(r, 30));
    return super.metricQuery(req, signal);
  }
}

function backend(): SlowBackend {
  const entries = [];
  for (let h = 0; h < 10; h++) for (let i = 0; i < 6; i++) entries.push({ tsNs: BigInt(h) * H + BigInt(i) * 600n * S, line: `h${h} i${i}` });
  return new SlowBackend([{ labels: { app: 'a' }, entries }]);
}

async function run(cacheResults: boolean): Promise<{ calls: number; answers: unknown[]; pieces: number }> {
  const b = backend();
  const limits = { forTenant: () => testConfig().limits_config as LimitsConfig };
  const f = new QueryFrontend(
    { maxOutstandingPerTenant: 100, logQueriesLongerThanMs: 0, maxRetries: 1, cacheResults, resultsCacheBytes: 1 << 20, localWorkers: 4, shardQueries: false },
    limits, b, frontendMetrics(new Registry()), silentLogger(), () => Number((100n * H) / 1_000_000n),
  );
  await f.start();
  try {
    const query = 'sum(count_over_time({app="a"}[1h]))';
    const req = { tenants: ['fake'], query, expr: parseExpr(query) as SampleExpr, startNs: H, endNs: 10n * H, stepNs: H };
    const answers = await Promise.all(Array.from({ length: 5 }, () => f.metricQuery(req, new AbortController().signal)));
    return { calls: b.calls.filter((c) => c.method === 'metricQuery').length, answers: answers.map((a) => a.result), pieces: answers[0]?.stats.splits ?? 0 };
  } finally {
    await f.stop();
  }
}

test('metric query: five identical concurrent queries send each cacheable piece once', async () => {
  const { calls, answers, pieces } = await run(true);
  assert.ok(pieces > 1, `the query was split (${pieces} pieces)`);
  assert.equal(calls, pieces, `${calls} pieces ran for ${pieces} distinct pieces`);
  for (const a of answers) assert.deepEqual(a, answers[0]);
});

test('metric query: without the results cache every query sends its own pieces', async () => {
  const { calls, pieces } = await run(false);
  assert.equal(calls, 5 * pieces);
});
