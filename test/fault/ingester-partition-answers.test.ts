/**
 * Queries while an ingester dies, on the real Kafka broker and S3 server, every role a separate
 * fjord process: two ingesters in one zone, one killed with SIGKILL while a loop of metric queries
 * runs. A partition no caught-up ingester serves answers 503 (retryable), never a 200 that is
 * missing acknowledged lines; the survivor takes the partitions over and answers are whole again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitUntil } from '../helpers/env.js';
import { newCluster, startRole } from '../helpers/cluster.js';
import type { FjordChild } from '../helpers/fjord-process.js';
import { startPusher } from '../helpers/pusher.js';
import { startCountAnswers } from '../helpers/count-answers.js';

const TENANT = 'answers';

async function ownedPartitions(ingester: FjordChild): Promise<number[]> {
  const res = await fetch(`${ingester.url}/ingester/internal/series?tenant=x&start=0&end=1`);
  return ((await res.json()) as { partitions: number[] }).partitions;
}

test('kill -9 of one of two ingesters during a query loop: 503 while a partition has no caught-up owner, never a 200 missing acknowledged lines', async (t) => {
  const c = await newCluster(t, 4, ['-kafka.consumer-heartbeat-interval=1s']);
  const distributor = await startRole(t, c, 'distributor');
  const a = await startRole(t, c, 'ingester');
  const b = await startRole(t, c, 'ingester');
  const querier = await startRole(t, c, 'querier');
  await waitUntil('both ingesters own partitions', async () => {
    const [pa, pb] = await Promise.all([ownedPartitions(a), ownedPartitions(b)]);
    return pa.length > 0 && pb.length > 0 && pa.length + pb.length === c.partitions;
  }, 60_000, 200);
  const run = `answers-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 4, linesPerPush: 5, everyMs: 50, run });
  const { answers, stop } = startCountAnswers(t, querier.url, TENANT, run, () => pusher.ackedLines(), 15_000);
  await pusher.waitForMore(600);
  const killedMs = Date.now();
  b.child.kill('SIGKILL');
  await b.stop();
  await waitUntil('the survivor owns every partition', async () => (await ownedPartitions(a)).length === c.partitions, 60_000, 100);
  const ownedMs = Date.now() - killedMs;
  await waitUntil('whole answers again', () => answers.some((x) => x.sentMs > killedMs + ownedMs && x.status === 200), 60_000, 100);
  await pusher.waitForMore(300);
  await stop();
  await pusher.stop();
  assert.equal(pusher.failures(), 0, 'every push was acknowledged');

  const wrongStatus = answers.filter((x) => x.status !== 200 && x.status !== 503);
  assert.deepEqual(wrongStatus.map((x) => `${x.status} ${x.body}`).slice(0, 3), [], 'only 200 or 503');
  const short = answers.filter((x) => x.status === 200 && x.count < x.required);
  assert.deepEqual(short.map((x) => `${x.sentMs - killedMs} ms after the kill: ${x.count} of ${x.required}`).slice(0, 5), [], 'no 200 answer misses acknowledged lines');
  const refused = answers.filter((x) => x.status === 503);
  for (const x of refused) assert.match(x.body, /no caught-up ingester in any zone for partitions [\d,]+/);
  const firstWhole = answers.find((x) => x.sentMs > killedMs && x.status === 200);
  const after = answers.filter((x) => x.sentMs > killedMs);
  console.log(`kill -9 of one of two ingesters: survivor owned every partition ${ownedMs} ms after the kill; first whole answer sent ${(firstWhole?.sentMs ?? NaN) - killedMs} ms after it; ${after.length} queries after the kill: ${refused.length} answered 503, ${after.length - refused.length} answered 200, none short`);
});

test('two zones, kill -9 of one of two ingesters in a zone: the other zone serves its partitions within 5 s, its zone owns them again within 10 s', async (t) => {
  const c = await newCluster(t, 4, ['-kafka.consumer-heartbeat-interval=1s']);
  const distributor = await startRole(t, c, 'distributor');
  const zoneA = ['-ingester.availability-zone=zone-a'];
  const a1 = await startRole(t, c, 'ingester', { flags: zoneA });
  const a2 = await startRole(t, c, 'ingester', { flags: zoneA });
  const b = await startRole(t, c, 'ingester', { flags: ['-ingester.availability-zone=zone-b'] });
  const querier = await startRole(t, c, 'querier');
  await waitUntil('zone a split, zone b whole', async () => {
    const [p1, p2, pb] = await Promise.all([ownedPartitions(a1), ownedPartitions(a2), ownedPartitions(b)]);
    return p1.length > 0 && p2.length > 0 && p1.length + p2.length === c.partitions && pb.length === c.partitions;
  }, 60_000, 200);
  const run = `zones-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 4, linesPerPush: 5, everyMs: 50, run });
  await pusher.waitForMore(400);
  const ask = async (sentMs: number) => {
    const required = pusher.ackedLines();
    const q = new URLSearchParams({ query: `sum(count_over_time({run="${run}"}[10m]))`, time: String(BigInt(sentMs + 1000) * 1_000_000n) });
    const res = await fetch(`${querier.url}/loki/api/v1/query?${q}`, { headers: { 'x-scope-orgid': TENANT }, signal: AbortSignal.timeout(15_000) });
    const body = await res.text();
    return { status: res.status, required, count: res.status === 200 ? Number((JSON.parse(body) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]?.value[1] ?? 0) : -1, body };
  };
  const killedMs = Date.now();
  a1.child.kill('SIGKILL');
  await a1.stop();
  // Served: a 200 holding every line acknowledged before the kill.
  const ackedAtKill = pusher.ackedLines();
  const served = (await waitUntil('a whole answer after the kill', async () => {
    const x = await ask(Date.now());
    assert.ok(x.status === 200 || x.status === 503, `${x.status} ${x.body}`);
    return x.status === 200 && x.count >= ackedAtKill ? Date.now() - killedMs : null;
  }, 30_000, 100)) as number;
  await waitUntil('zone a owns every partition again', async () => (await ownedPartitions(a2)).length === c.partitions, 30_000, 100);
  const ownedMs = Date.now() - killedMs;
  await pusher.waitForMore(200);
  await pusher.stop();
  console.log(`two zones, kill -9 in zone a: served again after ${served} ms (zone b), zone a owned every partition again after ${ownedMs} ms`);
  assert.ok(served <= 5000, `served again within 5 s (${served} ms)`);
  assert.ok(ownedMs <= 10_000, `owned again within 10 s (${ownedMs} ms)`);
});
