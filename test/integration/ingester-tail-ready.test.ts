/**
 * Live tail streams from a querier to two ingesters over loopback, one of which takes the
 * connection and never answers: the querier passes it over once READY_WAIT_MS has gone by (twice:
 * connecting retries a stream that failed once), and the other ingester's entries arrive. The ring is a stand-in that names the two addresses (reading
 * the ring from Kafka is not what this test is about).
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { IngesterTailFeeds, READY_WAIT_MS, TailInbox } from '../../query/querier/ingester-tail.js';
import type { IngesterRing, RingView } from '../../query/querier/ingester-ring.js';

test('a tail stream an ingester never answers is passed over after the ready wait; the other ingester\'s entries arrive', { timeout: 60_000 }, async (t) => {
  const held = new Set<Socket>();
  const frozen = createTcpServer((s) => void held.add(s));
  const responses = new Set<ServerResponse>();
  const live = createHttpServer((_req, res) => {
    responses.add(res);
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.write(`${JSON.stringify({ partitions: [1] })}\n`);
    res.write(`${JSON.stringify({ labels: '{app="x"}', entries: [['1700000000000000000', 'hello']] })}\n`);
  });
  for (const s of [frozen, live]) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const url = (s: { address(): unknown }) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  const view: RingView = { partitions: 2, zones: ['a'], groups: ['fjord-ingester-a'], owners: new Map([[0, [url(frozen)]], [1, [url(live)]]]) };
  let invalidated = 0;
  const ring = { view: async () => view, invalidate: () => void invalidated++ } as unknown as IngesterRing;
  const stop = new AbortController();
  t.after(async () => {
    stop.abort();
    for (const s of held) s.destroy();
    for (const r of responses) r.destroy();
    await new Promise<void>((resolve) => frozen.close(() => resolve()));
    await new Promise<void>((resolve) => live.close(() => resolve()));
  });
  const inbox = new TailInbox();
  const feeds = new IngesterTailFeeds(ring, 'tenant-a', [], inbox, stop.signal);
  const t0 = performance.now();
  await feeds.connect();
  const ms = performance.now() - t0;
  // The first pass waits out the frozen ingester, and the pass that retries what failed asks it again.
  assert.ok(ms >= READY_WAIT_MS - 50 && ms < 2 * READY_WAIT_MS + 5_000, `connect resolved after ${Math.round(ms)} ms`);
  assert.ok(invalidated >= 1, 'the ring is read again after the ingester was passed over');
  const { batches } = await inbox.take(AbortSignal.timeout(5_000));
  assert.deepEqual(batches, [{ tenant: 'tenant-a', labelsText: '{app="x"}', entries: [['1700000000000000000', 'hello']] }]);
});
