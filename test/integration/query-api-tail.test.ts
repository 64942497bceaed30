/**
 * Live tail over a real WebSocket (a minimal RFC 6455 client, Node 20 has none): frames as Loki
 * writes them (`L:pkg/util/marshal/query.go` EncodeTailResult, `legacy/marshal.go`), pings every
 * second, 400 before the upgrade for bad parameters (`L:pkg/loghttp/tail.go`), close 1011 with
 * "reached tail max duration limit" (`L:pkg/querier/tail/tail.go`), delay_for merging.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { labelsFromObject } from '../../schemas/labels/index.js';
import type { TailFrame } from '../../query/engine/query-backend.js';
import { mergeTailFrames } from '../../query/api/tail.js';
import { FakeQueryBackend } from '../helpers/fake-query-backend.js';
import { startQueryApi, type QueryApi } from '../helpers/query-api.js';
import { connectWebSocket } from '../helpers/ws-client.js';

const L = labelsFromObject;
const frame = (app: string, ts: bigint, line: string, sm: Record<string, string> = {}): TailFrame => ({
  streams: [{ labels: L({ app }), entries: [{ tsNs: ts, line, structuredMetadata: L(sm), parsed: [] }] }],
  dropped: [],
});

function urlOf(api: QueryApi, path: string): string {
  const port = (api.server.app.server.address() as AddressInfo).port;
  return `http://127.0.0.1:${port}${path}`;
}

test('tail: frames as v1 JSON, dropped entries, categorize-labels, and the backend sees the request', async (t) => {
  const backend = new FakeQueryBackend([]);
  backend.tailFrames = [frame('a', 10n, 'one', { trace_id: 'x' }), { streams: [], dropped: [{ labels: L({ app: 'b' }), tsNs: 11n }] }];
  const api = await startQueryApi({ backend, listen: true });
  t.after(() => api.close());
  const ws = await connectWebSocket(urlOf(api, `/loki/api/v1/tail?query=${encodeURIComponent('{app="a"}')}&limit=5&delay_for=0`), { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' });
  assert.equal(await ws.nextText(), '{"streams":[{"stream":{"app":"a"},"values":[["10","one",{"structuredMetadata":{"trace_id":"x"}}]]}],"encodingFlags":["categorize-labels"]}');
  assert.equal(await ws.nextText(), '{"streams":[],"dropped_entries":[{"timestamp":"11","labels":{"app":"b"}}],"encodingFlags":["categorize-labels"]}');
  const ping = await ws.next(3000);
  assert.equal(ping?.kind, 'ping');
  const call = backend.calls.find((c) => c.method === 'tail')?.req as { limit: number; query: string; tenants: string[] };
  assert.deepEqual([call.limit, call.query, call.tenants], [5, '{app="a"}', ['fake']]);
  ws.close();
  assert.deepEqual(await ws.nextText(), { close: 1000, reason: '' });
});

test('tail: without categorize-labels, metadata folds into the stream labels', async (t) => {
  const backend = new FakeQueryBackend([]);
  backend.tailFrames = [frame('a', 10n, 'one', { trace_id: 'x' })];
  const api = await startQueryApi({ backend, listen: true });
  t.after(() => api.close());
  const ws = await connectWebSocket(urlOf(api, `/loki/api/v1/tail?query=${encodeURIComponent('{app="a"}')}`));
  assert.equal(await ws.nextText(), '{"streams":[{"stream":{"app":"a","trace_id":"x"},"values":[["10","one"]]}]}');
  ws.destroy();
});

test('tail: the legacy /api/prom/tail shape', async (t) => {
  const backend = new FakeQueryBackend([]);
  backend.tailFrames = [frame('a', 1_000_000_000n, 'one')];
  const api = await startQueryApi({ backend, listen: true });
  t.after(() => api.close());
  const ws = await connectWebSocket(urlOf(api, `/api/prom/tail?query=${encodeURIComponent('{app="a"}')}`));
  assert.equal(await ws.nextText(), '{"streams":[{"labels":"{app=\\"a\\"}","entries":[{"ts":"1970-01-01T00:00:01Z","line":"one"}]}],"dropped_entries":null}');
  ws.destroy();
});

const badParams: Array<{ name: string; path: string; want: RegExp }> = [
  { name: 'a syntax error', path: `/loki/api/v1/tail?query=${encodeURIComponent('{app=')}`, want: /^parse error/ },
  { name: 'delay_for above 5', path: `/loki/api/v1/tail?query=${encodeURIComponent('{app="a"}')}&delay_for=9`, want: /^delay_for can't be greater than 5/ },
  { name: 'a bad limit', path: `/loki/api/v1/tail?query=${encodeURIComponent('{app="a"}')}&limit=0`, want: /^limit must be a positive value/ },
];
for (const c of badParams) {
  test(`tail: ${c.name} is refused with 400 before the upgrade`, async (t) => {
    const api = await startQueryApi({ backend: new FakeQueryBackend([]), listen: true });
    t.after(() => api.close());
    await assert.rejects(connectWebSocket(urlOf(api, c.path)), (err: { status?: number; body?: string }) => err.status === 400 && c.want.test(err.body ?? ''));
  });
}

test('tail: no tenant with auth enabled is 401 before the upgrade', async (t) => {
  const api = await startQueryApi({ backend: new FakeQueryBackend([]), listen: true, config: { auth_enabled: true } });
  t.after(() => api.close());
  await assert.rejects(connectWebSocket(urlOf(api, `/loki/api/v1/tail?query=${encodeURIComponent('{app="a"}')}`)), (err: { status?: number; body?: string }) => err.status === 401 && /no org id/.test(err.body ?? ''));
});

test('tail: closed with 1011 "reached tail max duration limit" and the backend signal aborted', async (t) => {
  const backend = new FakeQueryBackend([]);
  const api = await startQueryApi({ backend, listen: true, config: { querier: { tail_max_duration: '1s' } } });
  t.after(() => api.close());
  const ws = await connectWebSocket(urlOf(api, `/loki/api/v1/tail?query=${encodeURIComponent('{app="a"}')}`));
  assert.deepEqual(await ws.nextText(4000), { close: 1011, reason: 'reached tail max duration limit' });
});

test('tail: a client going away aborts the backend tail', async (t) => {
  const backend = new FakeQueryBackend([]);
  let signal: AbortSignal | null = null;
  const orig = backend.tail.bind(backend);
  backend.tail = (req, s) => {
    signal = s;
    return orig(req, s);
  };
  const api = await startQueryApi({ backend, listen: true });
  t.after(() => api.close());
  const ws = await connectWebSocket(urlOf(api, `/loki/api/v1/tail?query=${encodeURIComponent('{app="a"}')}`));
  for (let i = 0; i < 50 && signal === null; i++) await new Promise((r) => setTimeout(r, 20));
  ws.destroy();
  for (let i = 0; i < 100 && !(signal as AbortSignal | null)?.aborted; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal((signal as AbortSignal | null)?.aborted, true);
});

test('tail: with delay_for, held frames are merged in timestamp order', async (t) => {
  const backend = new FakeQueryBackend([]);
  backend.tailFrames = [frame('a', 30n, 'late'), frame('a', 10n, 'early'), frame('b', 20n, 'other')];
  const api = await startQueryApi({ backend, listen: true });
  t.after(() => api.close());
  const ws = await connectWebSocket(urlOf(api, `/loki/api/v1/tail?query=${encodeURIComponent('{app=~".+"}')}&delay_for=1`));
  const text = await ws.nextText(4000);
  assert.equal(text, '{"streams":[{"stream":{"app":"a"},"values":[["10","early"],["30","late"]]},{"stream":{"app":"b"},"values":[["20","other"]]}]}');
  ws.destroy();
});

test('mergeTailFrames: streams by labels, entries sorted, dropped entries kept', () => {
  const m = mergeTailFrames([frame('a', 3n, 'c'), frame('a', 1n, 'a'), { streams: [], dropped: [{ labels: L({ app: 'z' }), tsNs: 9n }] }]);
  assert.deepEqual(m.streams[0]?.entries.map((e) => e.line), ['a', 'c']);
  assert.equal(m.dropped.length, 1);
});

test('tail: a stopping server closes live tails with 1001', async () => {
  const api = await startQueryApi({ backend: new FakeQueryBackend([]), listen: true });
  const ws = await connectWebSocket(urlOf(api, `/loki/api/v1/tail?query=${encodeURIComponent('{app="a"}')}`));
  await new Promise((r) => setTimeout(r, 50));
  const closing = api.close();
  assert.deepEqual(await ws.nextText(3000), { close: 1001, reason: 'server stopping' });
  await closing;
});
