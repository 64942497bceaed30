/**
 * Logs Drilldown's Patterns tab against a whole Fjord process (target all, on both backend pairs,
 * pattern_ingester.enabled): lines of three shapes pushed over HTTP come back from
 * `/loki/api/v1/patterns` as three patterns whose counts add up to the lines of each shape, and
 * each pattern, used as Drilldown's `|>` / `!>` line filter, selects exactly the lines it came from.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { pushStreams } from '../helpers/fjord-command.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';
import { uniqueName, waitUntil } from '../helpers/env.js';

const TENANT = 'fake';
const LINES = 60;
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

const SHAPES = [
  { pattern: 'user <_> logged in from host <_>', line: (i: number) => `user ${100 + i} logged in from host ${i % 7}` },
  { pattern: 'payment <_> declined with code <_> after retry', line: (i: number) => `payment ${9000 + i * 3} declined with code ${40 + (i % 3)} after retry` },
  { pattern: 'cache ratio <_> for shard <_> now', line: (i: number) => `cache ratio ${50 + i} for shard ${i % 5} now` },
];

interface PatternsBody {
  status: string;
  data: Array<{ pattern: string; level: string; samples: Array<[number, number]> }>;
}

async function patterns(f: FjordChild, query: string, fromMs: number, toMs: number): Promise<PatternsBody> {
  const q = new URLSearchParams({ query, start: String(ns(fromMs)), end: String(ns(toMs)), step: '10s' });
  const res = await fetch(`${f.url}/loki/api/v1/patterns?${q}`, { headers: { 'x-scope-orgid': TENANT } });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text) as PatternsBody;
}

async function lines(f: FjordChild, query: string, fromMs: number, toMs: number): Promise<string[]> {
  const q = new URLSearchParams({ query, start: String(ns(fromMs)), end: String(ns(toMs)), limit: '5000' });
  const res = await fetch(`${f.url}/loki/api/v1/query_range?${q}`, { headers: { 'x-scope-orgid': TENANT } });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  const body = JSON.parse(text) as { data: { result: Array<{ values: Array<[string, string]> }> } };
  return body.data.result.flatMap((s) => s.values.map((v) => v[1])).sort();
}

for (const backend of BACKENDS) {
  test(`${backend.name}: pushed lines come back as their patterns, counts adding up, and each pattern filters its own lines`, { timeout: 180_000 }, async (t) => {
    const file = await backend.config(t, { pattern_ingester: { enabled: true } });
    const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`]);
    await waitReady(f, 60_000);
    const run = uniqueName('run');
    const startMs = Date.now() - 120_000;
    // Two streams of one service, so identical patterns of both are merged.
    const streams = ['a', 'b'].map((pod) => ({ labels: { app: 'shop', run, pod }, entries: [] as Array<readonly [bigint, string]> }));
    const pushed = new Map<string, string[]>();
    for (const [s, shape] of SHAPES.entries()) {
      const own: string[] = [];
      for (let i = 0; i < LINES; i++) {
        const line = shape.line(i);
        own.push(line);
        (streams[i % 2] as (typeof streams)[number]).entries.push([ns(startMs) + BigInt(s * LINES + i) * 1_000_000_000n, line]);
      }
      pushed.set(shape.pattern, own.sort());
    }
    for (const st of streams) st.entries.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    await pushStreams(f.url, TENANT, streams);

    const selector = `{app="shop", run="${run}"}`;
    const endMs = Date.now() + 60_000;
    let body: PatternsBody = { status: '', data: [] };
    await waitUntil('three patterns with every line counted', async () => {
      body = await patterns(f, selector, startMs - 60_000, endMs);
      return body.data.reduce((n, p) => n + p.samples.reduce((m, s) => m + s[1], 0), 0) === SHAPES.length * LINES;
    }, 60_000, 200);
    assert.equal(body.status, 'success');
    assert.deepEqual(body.data.map((p) => p.pattern).sort(), SHAPES.map((s) => s.pattern).sort());
    for (const p of body.data) {
      assert.equal(p.samples.reduce((n, s) => n + s[1], 0), LINES, p.pattern);
      for (const [sec] of p.samples) {
        assert.ok(Number.isInteger(sec) && sec % 10 === 0 && sec >= Math.floor(startMs / 10_000) * 10 && sec * 1000 < endMs, `sample time ${sec} is a 10 s bucket start in unix seconds`);
      }
      const kept = await lines(f, `${selector} |> ${JSON.stringify(p.pattern)}`, startMs - 60_000, endMs);
      assert.deepEqual(kept, pushed.get(p.pattern), `|> ${p.pattern}`);
      const dropped = await lines(f, `${selector} !> ${JSON.stringify(p.pattern)}`, startMs - 60_000, endMs);
      assert.equal(dropped.length, (SHAPES.length - 1) * LINES, `!> ${p.pattern}`);
    }
    // A selector of one stream sees only its half.
    const one = await patterns(f, `{app="shop", run="${run}", pod="a"}`, startMs - 60_000, endMs);
    assert.equal(one.data.reduce((n, p) => n + p.samples.reduce((m, s) => m + s[1], 0), 0), (SHAPES.length * LINES) / 2);
    const limits = (await (await fetch(`${f.url}/loki/api/v1/drilldown-limits`, { headers: { 'x-scope-orgid': TENANT } })).json()) as { pattern_ingester_enabled: boolean };
    assert.equal(limits.pattern_ingester_enabled, true);
  });
}
