/**
 * Loki's query rules where an answer could look right and not be, through a running
 * `fjord -target=all` on the embedded backends (query frontend, querier and ingester in one
 * process, the data still in the ingester): `max_query_length` on what a metric query selects, as
 * Loki's querier checks it (`L:pkg/querier/limits/validation.go`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempDir, waitUntil } from '../helpers/env.js';
import { pushStreams, type PushedStream } from '../helpers/fjord-command.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';

const TENANT = 'rules';
const NOW_MS = Math.floor(Date.now() / 1000) * 1000;
const AT = String(NOW_MS / 1000);
const nsOf = (ms: number) => BigInt(ms) * 1_000_000n;

function corpus(): PushedStream[] {
  const base = NOW_MS - 10 * 60_000;
  return [
    { labels: { app: 'a' }, entries: Array.from({ length: 10 }, (_, i) => [nsOf(base + i * 1000), `line ${i}`] as const) },
  ];
}

async function query(f: FjordChild, path: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await fetch(`${f.url}${path}?${new URLSearchParams(params)}`, { headers: { 'x-scope-orgid': TENANT } });
  return { status: res.status, body: await res.text() };
}

test('embedded fjord -target=all answers as Loki', { timeout: 120_000 }, async (t) => {
  const dir = await tempDir(t);
  const f = await startFjord(t, ['-target=all', `-common.path-prefix=${dir}`]);
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
});
