/**
 * Log deletion on both backend pairs, through a running `fjord -target=all`: Loki's delete API
 * (add, list, cancel, its errors), queries leaving the deleted lines out at once (log and metric
 * queries, cached metric results included), then the compactor — once the cancel period has
 * passed — rewriting the chunks without those lines, dropping whole chunks, swapping the index
 * and, after the retention delay, deleting the old chunk objects.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { Compactor, compactorMetrics, type Leadership } from '../../consumers/index.js';
import { decodeChunk } from '../../schemas/chunk/index.js';
import { chunkKey, indexBundlePrefix, indexPeriodsOverlapping, openIndexBundle } from '../../schemas/index/index.js';
import { DeleteRequestReader, listAll, loadCodecs, silentLogger, type ObjectStore } from '../../platform/index.js';
import { compileLogSelector } from '../../query/logql/index.js';
import { limitsFromRuntimeConfig } from '../../schemas/config/index.js';
import { BACKENDS, built, startedStore, writeConfigFile } from '../helpers/backends.js';
import { pushStreams } from '../helpers/fjord-command.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';
import { waitUntil } from '../helpers/env.js';

const codecs = await loadCodecs();
const alwaysLeader: Leadership = { start: async () => undefined, stop: async () => undefined, isLeader: () => true };
const TENANT = 'team-a';
const HOUR_MS = 3_600_000;

async function api(f: FjordChild, method: string, params: Record<string, string>, tenant: string | null = TENANT): Promise<{ status: number; body: string; id: string | null }> {
  const res = await fetch(`${f.url}/loki/api/v1/delete?${new URLSearchParams(params)}`, { method, headers: tenant === null ? {} : { 'x-scope-orgid': tenant } });
  return { status: res.status, body: await res.text(), id: res.headers.get('x-delete-request-id') };
}

async function lines(f: FjordChild, query: string, startMs: number, endMs: number): Promise<string[]> {
  const q = new URLSearchParams({ query, start: String(BigInt(startMs) * 1_000_000n), end: String(BigInt(endMs) * 1_000_000n), limit: '1000' });
  const res = await fetch(`${f.url}/loki/api/v1/query_range?${q}`, { headers: { 'x-scope-orgid': TENANT } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { data: { result: Array<{ values: Array<[string, string]> }> } };
  return body.data.result.flatMap((s) => s.values.map((v) => v[1])).sort();
}

async function count(f: FjordChild, startMs: number, endMs: number): Promise<number> {
  const q = new URLSearchParams({ query: 'sum(count_over_time({app=~".+"}[1h]))', start: String(startMs / 1000), end: String(endMs / 1000), step: '3600' });
  const res = await fetch(`${f.url}/loki/api/v1/query_range?${q}`, { headers: { 'x-scope-orgid': TENANT } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { data: { result: Array<{ values: Array<[number, string]> }> } };
  return body.data.result.flatMap((s) => s.values).reduce((n, v) => n + Number(v[1]), 0);
}

/** Every line in the tenant's chunks the index refers to, sorted. */
async function storedLines(store: ObjectStore, fromMs: number, toMs: number): Promise<string[]> {
  const keys = new Set<string>();
  for (const period of indexPeriodsOverlapping(BigInt(fromMs) * 1_000_000n, BigInt(toMs) * 1_000_000n)) {
    for await (const o of listAll(store, indexBundlePrefix(period, TENANT))) {
      for (const c of openIndexBundle(await store.get(o.key)).toInput().chunks) keys.add(chunkKey({ tenant: TENANT, ...c }));
    }
  }
  const out: string[] = [];
  for (const key of keys) {
    for (const b of decodeChunk(await store.get(key), codecs).blocks) for (let i = 0; i < b.count; i++) out.push(Buffer.from(b.line(i)).toString());
  }
  return out.sort();
}

for (const backend of BACKENDS) {
  test(`${backend.name}: delete requests are served like Loki's, filtered at query time, then applied to the store`, { timeout: 240_000 }, async (t) => {
    const base = await backend.config(t);
    const dir = (base.common as { path_prefix: string }).path_prefix;
    const overrides = join(dir, 'overrides.yaml');
    await writeFile(overrides, stringify({ overrides: { 'no-deletes': { deletion_mode: 'disabled' } } }));
    const file = await backend.config(t, {
      ...base,
      auth_enabled: true,
      compactor: { retention_enabled: true, delete_request_cancel_period: '1h' },
      storage_config: { index_shipper: { resync_interval: '1s' } },
      limits_config: { reject_old_samples: false },
      runtime_config: { file: overrides },
      query_range: { cache_results: true },
      ingester: { flush_check_period: '1s', index_upload_interval: '1s' },
    });
    const cfg = built(file);
    const store = await startedStore(t, cfg);
    const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`]);
    await waitReady(f, 60_000);

    const now = Date.now();
    const t0 = now - 3 * HOUR_MS;
    const ts = (i: number) => BigInt(t0 + i * 1000) * 1_000_000n;
    const api20 = Array.from({ length: 20 }, (_, i) => [ts(i), i % 4 === 0 ? `secret ${i}` : `public ${i}`] as const);
    await pushStreams(f.url, TENANT, [
      { labels: { app: 'api' }, entries: api20 },
      { labels: { app: 'web' }, entries: Array.from({ length: 5 }, (_, i) => [ts(100 + i), `web ${i}`] as const) },
      { labels: { app: 'keep' }, entries: Array.from({ length: 5 }, (_, i) => [ts(200 + i), `keep ${i}`] as const) },
    ]);
    const [from, to] = [now - 4 * HOUR_MS, now - HOUR_MS];
    const all = [...api20.map((e) => e[1]), ...[0, 1, 2, 3, 4].map((i) => `web ${i}`), ...[0, 1, 2, 3, 4].map((i) => `keep ${i}`)].sort();
    await waitUntil('every pushed line', async () => (await lines(f, '{app=~".+"}', from, to)).length === all.length, 30_000, 200);
    assert.equal(await count(f, from, to), 30);
    assert.equal(await count(f, from, to), 30, 'the second time from the results cache');
    assert.match(await (await fetch(`${f.url}/metrics`)).text(), /^fjord_frontend_results_cache_requests_total\{outcome="hit"\} [1-9]/m, 'a cache hit');

    // The API, with Loki's answers.
    const start = String(Math.floor((now - 4 * HOUR_MS) / 1000));
    const end = String(Math.floor((now - 10 * 60_000) / 1000));
    const secret = await api(f, 'POST', { query: '{app="api"} |= "secret"', start, end });
    assert.equal(secret.status, 204, secret.body);
    assert.match(secret.id ?? '', /^[0-9a-f]{8}$/);
    assert.equal((await api(f, 'PUT', { query: '{app="web"}', start, end })).status, 204);
    const cancelled = await api(f, 'POST', { query: '{app="keep"}', start, end });
    assert.equal((await api(f, 'DELETE', { request_id: cancelled.id ?? '' })).status, 204);
    assert.deepEqual(await api(f, 'DELETE', { request_id: 'ffffffff' }), { status: 404, body: 'could not find delete request with given id\n', id: null });
    assert.deepEqual(await api(f, 'POST', { query: 'foo', start }), { status: 400, body: 'invalid query expression\n', id: null });
    assert.deepEqual(await api(f, 'POST', { query: '{app="x"}', start: String(now) }), { status: 400, body: 'invalid start time: require unix seconds or RFC3339 format\n', id: null });
    assert.deepEqual(await api(f, 'GET', {}, null), { status: 401, body: 'no org id\n', id: null });
    assert.deepEqual(await api(f, 'GET', {}, 'no-deletes'), { status: 403, body: 'deletion is not available for this tenant\n', id: null });
    const listed = JSON.parse((await api(f, 'GET', {})).body) as Array<Record<string, unknown>>;
    assert.deepEqual(listed.map((r) => [r.query, r.status, r.start_time, r.end_time, r.user_id]), [
      ['{app="api"} |= "secret"', 'received', Number(start), Number(end), ''],
      ['{app="web"}', 'received', Number(start), Number(end), ''],
    ]);

    // Queriers leave the deleted lines out at once (within the resync interval), cached metric results too.
    const kept = all.filter((l) => !l.startsWith('secret') && !l.startsWith('web'));
    await waitUntil('queries without the deleted lines', async () => JSON.stringify(await lines(f, '{app=~".+"}', from, to)) === JSON.stringify(kept), 30_000, 250);
    // the query frontend re-reads the requests on its own schedule (its results cache keys follow them)
    await waitUntil('the metric query to count only the lines left', async () => (await count(f, from, to)) === kept.length, 30_000, 250);

    // The compactor applies the requests once the cancel period (plus Loki's minute) has passed.
    assert.equal((await fetch(`${f.url}/flush`, { method: 'POST' })).status, 204);
    await waitUntil('every line in the store', async () => (await storedLines(store, from, now)).length === all.length, 60_000, 250);
    const compactor = new Compactor({
      cfg: cfg.compactor, limits: limitsFromRuntimeConfig(cfg.limits_config, null), store, leadership: alwaysLeader, metrics: compactorMetrics(new Registry()),
      logger: silentLogger(), compileSelector: compileLogSelector, deleteRequests: new DeleteRequestReader(store), codecs,
    });
    const early = await compactor.runOnce(Date.now() + 30 * 60_000);
    assert.equal(early.deletePieces, 0, 'nothing is applied within the cancel period');
    const round = await compactor.runOnce(Date.now() + HOUR_MS + 61_000);
    assert.equal(round.deletePieces, 2);
    assert.equal(round.linesDeleted, 5, 'the five secret lines, from a rewritten chunk');
    assert.deepEqual(await storedLines(store, from, now), kept, 'the store holds none of the deleted lines');
    const after = JSON.parse((await api(f, 'GET', {})).body) as Array<Record<string, unknown>>;
    assert.deepEqual(after.map((r) => r.status), ['processed', 'processed']);
    assert.equal((await api(f, 'DELETE', { request_id: secret.id ?? '', force: 'true' })).body, 'deletion of request which is in process or already processed is not allowed\n');
    await new Promise((r) => setTimeout(r, 3000)); // past the querier's filtering of processed requests (2 resync intervals)
    assert.deepEqual(await lines(f, '{app=~".+"}', from, to), kept, 'queries read the rewritten store');

    const marks: string[] = [];
    for await (const o of listAll(store, 'compactor/retention-marks/')) marks.push(o.key);
    assert.equal(marks.length, 1, 'the replaced chunks are marked for deletion');
    const swept = await compactor.runOnce(Date.now() + HOUR_MS + 61_000 + cfg.compactor.retention_delete_delay + 1000);
    assert.ok(swept.chunksDeleted >= 2, `the old chunks are deleted after the delay (${swept.chunksDeleted})`);
    assert.deepEqual(await storedLines(store, from, now), kept);
  });
}
