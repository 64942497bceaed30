/**
 * Live tail through a running `fjord -target=all` on both backend pairs, as logcli's `query --tail`
 * uses it (`/loki/api/v1/tail` with query, limit, start and delay_for=0): the newest `limit`
 * lines since `start` first, oldest first; then every line pushed afterwards exactly once — 100
 * lines a second for 10 s, and 208 lines sharing one timestamp — with the query's line filter
 * applied; none lost, none repeated (Loki's ingester tailers, `L:pkg/querier/tail/tail.go`). A tail
 * past `max_concurrent_tail_requests` is closed with 1011 and Loki's message. And on Kafka with
 * separate processes: a read process tailing two ingesters that split the partitions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { newCluster, startRole } from '../helpers/cluster.js';
import { pushStreams } from '../helpers/fjord-command.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';
import { uniqueName, waitUntil } from '../helpers/env.js';
import { connectWebSocket, type TestWebSocket } from '../helpers/ws-client.js';

const TENANT = 'fake';
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

interface TailFrameJson {
  streams: Array<{ stream: Record<string, string>; values: Array<[string, string]> }>;
  dropped_entries?: unknown[];
}

/** Read tail frames into `lines` until the socket closes. */
function collect(ws: TestWebSocket, lines: string[], dropped: unknown[]): { stop: () => void; done: Promise<void> } {
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const m = await ws.nextText(60_000).catch(() => null);
      if (m === null || typeof m !== 'string') return;
      const frame = JSON.parse(m) as TailFrameJson;
      for (const s of frame.streams) for (const v of s.values) lines.push(v[1]);
      dropped.push(...(frame.dropped_entries ?? []));
    }
  })();
  return { stop: () => (stopped = true), done };
}

async function count(f: FjordChild, query: string, fromMs: number): Promise<number> {
  const q = new URLSearchParams({ query, start: String(ns(fromMs)), end: String(ns(Date.now() + 60_000)), limit: '5000' });
  const res = await fetch(`${f.url}/loki/api/v1/query_range?${q}`, { headers: { 'x-scope-orgid': TENANT } });
  const body = (await res.json()) as { data: { result: Array<{ values: unknown[] }> } };
  return body.data.result.reduce((n, s) => n + s.values.length, 0);
}

for (const backend of BACKENDS) {
  test(`${backend.name}: live tail sends the newest limit lines, then every new line once, at 100 lines/s and 208 lines on one timestamp`, { timeout: 180_000 }, async (t) => {
    const file = await backend.config(t, { limits_config: { reject_old_samples: false } });
    const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`]);
    await waitReady(f, 60_000);
    const run = uniqueName('run');
    const labels = { app: 'tail', run };
    const startMs = Date.now();

    const history = Array.from({ length: 150 }, (_, i) => [ns(startMs - 60_000) + BigInt(i) * 1_000_000n, `history ${i}`] as const);
    await pushStreams(f.url, TENANT, [{ labels, entries: history }]);
    await waitUntil('the history is queryable', async () => (await count(f, `{run="${run}"}`, startMs - 120_000)) === 150, 30_000, 100);

    const query = `{app="tail", run="${run}"} != "skip"`;
    const params = new URLSearchParams({ query, limit: '100', start: String(ns(startMs - 3_600_000)), delay_for: '0' });
    const ws = await connectWebSocket(`${f.url}/loki/api/v1/tail?${params}`, { 'x-scope-orgid': TENANT });
    t.after(() => ws.destroy());
    const got: string[] = [];
    const dropped: unknown[] = [];
    const reader = collect(ws, got, dropped);
    await waitUntil('the newest 100 history lines', () => got.length >= 100, 20_000, 50);
    assert.deepEqual(got.slice(0, 100), history.slice(50).map((e) => e[1]), 'the newest limit lines, oldest first');

    // 100 lines a second for 10 seconds, in pushes of 10 every 100 ms, with a filtered-out line in each.
    const want: string[] = [];
    const liveStart = Date.now();
    for (let p = 0; p < 100; p++) {
      const entries: Array<readonly [bigint, string]> = [];
      for (let i = 0; i < 10; i++) {
        const n = p * 10 + i;
        entries.push([ns(Date.now()) + BigInt(n), `live ${n}`]);
        want.push(`live ${n}`);
      }
      entries.push([ns(Date.now()) + 999_999n, `skip ${p}`]);
      await pushStreams(f.url, TENANT, [{ labels, entries }]);
      const next = liveStart + (p + 1) * 100;
      if (next > Date.now()) await new Promise((r) => setTimeout(r, next - Date.now()));
    }
    // 208 lines sharing one timestamp, in one push.
    const sameTs = ns(Date.now());
    const same = Array.from({ length: 208 }, (_, i) => [sameTs, `same ${i}`] as const);
    await pushStreams(f.url, TENANT, [{ labels, entries: same }]);
    want.push(...same.map((e) => e[1]));

    await waitUntil('every live line', () => got.length >= 100 + want.length, 30_000, 100).catch((err) => {
      const have = new Set(got);
      const missing = want.filter((l) => !have.has(l));
      throw new Error(`${(err as Error).message}: ${got.length - 100} of ${want.length}, missing ${missing.length}: ${missing.slice(0, 5).join(', ')} … ${missing.slice(-5).join(', ')}`);
    });
    reader.stop();
    const live = got.slice(100);
    assert.equal(live.length, want.length, 'no line twice');
    assert.deepEqual([...live].sort(), [...want].sort(), 'every line pushed after the tail started, once');
    assert.equal(live.filter((l) => l.startsWith('skip')).length, 0, 'the line filter applies');
    assert.deepEqual(dropped, [], 'nothing dropped');
  });
}

for (const backend of BACKENDS) {
  test(`${backend.name}: a tail past max_concurrent_tail_requests is closed with 1011 and Loki's message; one slot freed lets the next in`, { timeout: 120_000 }, async (t) => {
    const file = await backend.config(t, { limits_config: { max_concurrent_tail_requests: 1 } });
    const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`]);
    await waitReady(f, 60_000);
    const run = uniqueName('run');
    const url = `${f.url}/loki/api/v1/tail?${new URLSearchParams({ query: `{run="${run}"}`, delay_for: '0' })}`;
    const tailers = async (): Promise<number> => ((await (await fetch(`${f.url}/ingester/internal/tailers?tenant=${TENANT}`)).json()) as { count: number }).count;
    const first = await connectWebSocket(url, { 'x-scope-orgid': TENANT });
    t.after(() => first.destroy());
    await waitUntil('the first tail feeds from the ingester', async () => (await tailers()) === 1, 20_000, 100);
    const second = await connectWebSocket(url, { 'x-scope-orgid': TENANT });
    t.after(() => second.destroy());
    assert.deepEqual(await second.nextText(10_000), { close: 1011, reason: 'max concurrent tail requests limit exceeded, count > limit (2 > 1)' });
    first.close();
    await waitUntil('the first tail is gone from the ingester', async () => (await tailers()) === 0, 20_000, 100);
    const third = await connectWebSocket(url, { 'x-scope-orgid': TENANT });
    t.after(() => third.destroy());
    await waitUntil('the third tail feeds from the ingester', async () => (await tailers()) === 1, 20_000, 100);
    await pushStreams(f.url, TENANT, [{ labels: { app: 'tail', run }, entries: [[ns(Date.now()), 'after the limit']] }]);
    const frame = await third.nextText(20_000);
    assert.equal(typeof frame, 'string');
    assert.deepEqual((JSON.parse(frame as string) as TailFrameJson).streams.flatMap((s) => s.values.map((v) => v[1])), ['after the limit']);
  });
}

test('kafka+s3 cluster: a read process tails two ingesters that split the partitions, every line once', { timeout: 240_000 }, async (t) => {
  const c = await newCluster(t, 4);
  const distributor = await startRole(t, c, 'distributor');
  const ingesters = [await startRole(t, c, 'ingester'), await startRole(t, c, 'ingester')];
  const reader = await startRole(t, c, 'read');
  const owned = async (f: FjordChild) => new Set(((await (await fetch(`${f.url}/ingester/internal/series?tenant=x&start=0&end=1`)).json()) as { partitions: number[] }).partitions);
  await waitUntil('both ingesters own two partitions each', async () => {
    const [a, b] = await Promise.all(ingesters.map(owned));
    return a?.size === 2 && b?.size === 2 && new Set([...(a ?? []), ...(b ?? [])]).size === 4;
  }, 90_000, 250);
  const tenant = 'team-a';
  const run = uniqueName('run');
  const apps = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  const startMs = Date.now();
  // 160 history lines over eight streams, each at its own millisecond: the tail starts with the newest 100.
  const history = apps.map((app, a) => ({ labels: { app, run }, entries: Array.from({ length: 20 }, (_, i) => [ns(startMs - 10_000 + i * 8 + a), `history ${app} ${i}`] as const) }));
  await pushStreams(distributor.url, tenant, history);
  const newest = history.flatMap((h) => h.entries).sort((x, y) => (x[0] < y[0] ? 1 : -1)).slice(0, 100).map((e) => e[1]).sort();
  const params = new URLSearchParams({ query: `{run="${run}"}`, limit: '100', start: String(ns(startMs - 60_000)), delay_for: '0' });
  const got: string[] = [];
  const dropped: unknown[] = [];
  const ws = await waitUntil('a tail with the newest 100 history lines', async () => {
    const w = await connectWebSocket(`${reader.url}/loki/api/v1/tail?${params}`, { 'x-scope-orgid': tenant });
    const first = await w.nextText(10_000).catch(() => null);
    const lines = typeof first === 'string' ? (JSON.parse(first) as TailFrameJson).streams.flatMap((s) => s.values.map((v) => v[1])) : [];
    if (lines.length === 100) {
      assert.deepEqual([...lines].sort(), newest);
      got.push(...lines);
      return w;
    }
    w.destroy();
    return null;
  }, 60_000, 500) as TestWebSocket;
  t.after(() => ws.destroy());
  const reader2 = collect(ws, got, dropped);
  const want: string[] = [];
  for (let p = 0; p < 30; p++) {
    const streams = apps.map((app) => ({ labels: { app, run }, entries: Array.from({ length: 5 }, (_, i) => [ns(Date.now()) + BigInt(i), `live ${app} ${p} ${i}`] as const) }));
    for (const s of streams) want.push(...s.entries.map((e) => e[1]));
    await pushStreams(distributor.url, tenant, streams);
  }
  await waitUntil('every live line', () => got.length >= 100 + want.length, 30_000, 100);
  reader2.stop();
  const live = got.slice(100);
  assert.equal(live.length, want.length, 'no line twice');
  assert.deepEqual([...live].sort(), [...want].sort());
  assert.deepEqual(dropped, []);
});
