/**
 * Partition hand-overs between ingesters on the real Kafka broker and S3 server, every role a
 * separate fjord process, under a steady push load: a graceful stop (SIGTERM) and a scale-up from
 * one ingester to two. The old owner flushes and commits before it lets a partition go, so every
 * acknowledged batch is stored complete and exactly once: the store's own entry count
 * (`index/stats`, which counts a line stored twice twice) equals the acknowledged lines.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitUntil } from '../helpers/env.js';
import { newCluster, startRole } from '../helpers/cluster.js';
import type { FjordChild } from '../helpers/fjord-process.js';
import { readStream, startPusher, type Pusher } from '../helpers/pusher.js';

const TENANT = 'handover';

/** Acknowledged push batches (one per push and stream) whose lines are all read back, each once; throws on any other. */
async function assertBatchesExactlyOnce(querier: FjordChild, pusher: Pusher, run: string): Promise<{ batches: number; lines: number }> {
  let batches = 0;
  let lines = 0;
  for (const [app, acked] of pusher.acked) {
    const seen = new Map<string, number>();
    for (const l of await readStream(querier, TENANT, run, app, 600_000)) seen.set(l, (seen.get(l) ?? 0) + 1);
    const byBatch = new Map<string, string[]>();
    for (const l of acked) {
      const push = /push=(\d+)/.exec(l)?.[1] ?? '';
      byBatch.set(push, [...(byBatch.get(push) ?? []), l]);
    }
    const incomplete = [...byBatch].filter(([, ls]) => ls.some((l) => seen.get(l) !== 1)).map(([push]) => push);
    assert.deepEqual(incomplete.slice(0, 5), [], `${app}: ${incomplete.length} of ${byBatch.size} acknowledged batches not read back complete and once`);
    batches += byBatch.size;
    lines += acked.size;
  }
  return { batches, lines };
}

/** Entries the store holds for the run, counted from its index (a line stored twice counts twice). */
async function storedEntries(querier: FjordChild, run: string): Promise<number> {
  const q = new URLSearchParams({ query: `{run="${run}"}`, start: String(BigInt(Date.now() - 600_000) * 1_000_000n), end: String(BigInt(Date.now() + 60_000) * 1_000_000n) });
  const res = await fetch(`${querier.url}/loki/api/v1/index/stats?${q}`, { headers: { 'x-scope-orgid': TENANT } });
  assert.equal(res.status, 200);
  return ((await res.json()) as { entries: number }).entries;
}

async function flush(ingester: FjordChild): Promise<void> {
  const res = await fetch(`${ingester.url}/flush`, { method: 'POST' });
  assert.equal(res.status, 204, await res.text());
}

async function ownedPartitions(ingester: FjordChild): Promise<number[]> {
  const res = await fetch(`${ingester.url}/ingester/internal/series?tenant=x&start=0&end=1`);
  return ((await res.json()) as { partitions: number[] }).partitions;
}

test('a graceful stop under load flushes and commits before it leaves: the next owner reads nothing twice', async (t) => {
  const c = await newCluster(t);
  const distributor = await startRole(t, c, 'distributor');
  const a = await startRole(t, c, 'ingester');
  const querier = await startRole(t, c, 'querier');
  await waitUntil('the ingester owns every partition', async () => (await ownedPartitions(a)).length === c.partitions, 60_000, 200);
  const run = `sigterm-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 4, linesPerPush: 5, everyMs: 40, run });
  await pusher.waitForMore(600);
  const t0 = Date.now();
  assert.equal(await a.stop('SIGTERM'), 0, a.output());
  const stopMs = Date.now() - t0;
  assert.doesNotMatch(a.output(), /offset commit failed|not initialized/, 'the last commit went through');
  const b = await startRole(t, c, 'ingester');
  await waitUntil('the next ingester owns every partition', async () => (await ownedPartitions(b)).length === c.partitions, 60_000, 200);
  const handoverMs = Date.now() - t0;
  await pusher.waitForMore(300);
  await pusher.stop();
  assert.equal(pusher.failures(), 0, 'every push was acknowledged');
  await flush(b);
  const { batches, lines } = await assertBatchesExactlyOnce(querier, pusher, run);
  assert.equal(await storedEntries(querier, run), lines, 'the store holds each acknowledged line once');
  console.log(`graceful stop: ${stopMs} ms to stop, ${handoverMs} ms until the next ingester owned every partition; ${batches} batches, ${lines} lines, each stored once`);
});

test('scale-up from one ingester to two under load: the old owner commits before the new one starts, nothing is read twice', async (t) => {
  const c = await newCluster(t);
  const distributor = await startRole(t, c, 'distributor');
  const a = await startRole(t, c, 'ingester');
  const querier = await startRole(t, c, 'querier');
  await waitUntil('the first ingester owns every partition', async () => (await ownedPartitions(a)).length === c.partitions, 60_000, 200);
  const run = `scaleup-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 4, linesPerPush: 5, everyMs: 40, run });
  await pusher.waitForMore(600);
  const t0 = Date.now();
  const b = await startRole(t, c, 'ingester', { ready: false });
  await waitUntil('the partitions split between the two ingesters', async () => {
    const [pa, pb] = await Promise.all([ownedPartitions(a).catch(() => []), ownedPartitions(b).catch(() => [])]);
    return pa.length > 0 && pb.length > 0 && pa.length + pb.length === c.partitions;
  }, 60_000, 100);
  const handoverMs = Date.now() - t0;
  await pusher.waitForMore(300);
  await pusher.stop();
  assert.equal(pusher.failures(), 0, 'every push was acknowledged');
  await Promise.all([flush(a), flush(b)]);
  const { batches, lines } = await assertBatchesExactlyOnce(querier, pusher, run);
  assert.equal(await storedEntries(querier, run), lines, 'the store holds each acknowledged line once');
  console.log(`scale-up: ${handoverMs} ms from starting the second ingester until the partitions were split; ${batches} batches, ${lines} lines, each stored once`);
});
