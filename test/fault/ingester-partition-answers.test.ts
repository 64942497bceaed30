/**
 * Queries while an ingester dies, on the real Kafka broker and S3 server, every role a separate
 * fjord process: two ingesters in one zone, one killed with SIGKILL while a loop of metric queries
 * runs. A partition no caught-up ingester serves answers 503 (retryable), never a 200 that is
 * missing acknowledged lines; the survivor takes the partitions over and answers are whole again.
 * With `querier.allow_partial_ingester_answers`, log and metric queries through a query frontend
 * answer 200 instead, whole or with a warning naming the dead ingester's partitions. And with two
 * zones, the other zone serves the dead ingester's partitions.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { waitUntil } from '../helpers/env.js';
import { newCluster, startRole } from '../helpers/cluster.js';
import type { FjordChild } from '../helpers/fjord-process.js';
import { startPusher } from '../helpers/pusher.js';
import { startCountAnswers, type CountAnswer } from '../helpers/count-answers.js';

const TENANT = 'answers';

async function ownedPartitions(ingester: FjordChild): Promise<number[]> {
  const res = await fetch(`${ingester.url}/ingester/internal/series?tenant=x&start=0&end=1`);
  return ((await res.json()) as { partitions: number[] }).partitions;
}

/** True when `ingester` holds recent lines of `run` on the partitions it owns. */
async function holdsRun(ingester: FjordChild, run: string): Promise<boolean> {
  const partitions = await ownedPartitions(ingester);
  const q = new URLSearchParams({ tenant: TENANT, start: '0', end: String(BigInt(Date.now() + 60_000) * 1_000_000n), partitions: partitions.join(','), match: `run=${run}` });
  const res = await fetch(`${ingester.url}/ingester/internal/series?${q}`);
  return ((await res.json()) as { series: string[] }).series.length > 0;
}

/** Of two ingesters, [one holding lines of `run`, the other]: the run's streams need not spread over every partition. */
async function victimHoldingRun(a: FjordChild, b: FjordChild, run: string): Promise<[FjordChild, FjordChild]> {
  return (await holdsRun(b, run)) ? [b, a] : [a, b];
}

/** A cluster of 4 partitions (with `extra` flags) with a distributor and two ingesters of one zone that both own partitions. */
async function twoIngesters(t: TestContext, extra: readonly string[] = []) {
  const c = await newCluster(t, 4, ['-kafka.consumer-heartbeat-interval=1s', ...extra]);
  const distributor = await startRole(t, c, 'distributor');
  const a = await startRole(t, c, 'ingester');
  const b = await startRole(t, c, 'ingester');
  await waitUntil('both ingesters own partitions', async () => {
    const [pa, pb] = await Promise.all([ownedPartitions(a), ownedPartitions(b)]);
    return pa.length > 0 && pb.length > 0 && pa.length + pb.length === c.partitions;
  }, 60_000, 200);
  return { c, distributor, a, b };
}

/**
 * Kill `dead` with SIGKILL, wait until `survivor` owns all `partitions` and every loop has had a
 * whole answer (200 without warnings) sent after that; returns when the kill was and how long the
 * hand-over took.
 */
async function killAndTakeOver(dead: FjordChild, survivor: FjordChild, partitions: number, loops: ReadonlyArray<readonly CountAnswer[]>): Promise<{ killedMs: number; ownedMs: number }> {
  const killedMs = Date.now();
  dead.child.kill('SIGKILL');
  await dead.stop();
  await waitUntil('the survivor owns every partition', async () => (await ownedPartitions(survivor)).length === partitions, 60_000, 100);
  const ownedMs = Date.now() - killedMs;
  await waitUntil('whole answers again', () => loops.every((answers) => answers.some((x) => x.sentMs > killedMs + ownedMs && x.status === 200 && x.warnings.length === 0)), 60_000, 100);
  return { killedMs, ownedMs };
}

test('kill -9 of one of two ingesters during a query loop: 503 while a partition has no caught-up owner, never a 200 missing acknowledged lines', async (t) => {
  const { c, distributor, a, b } = await twoIngesters(t);
  const querier = await startRole(t, c, 'querier');
  const run = `answers-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 4, linesPerPush: 5, everyMs: 50, run });
  const { answers, stop } = startCountAnswers(t, querier.url, TENANT, run, () => pusher.ackedLines(), 15_000);
  await pusher.waitForMore(600);
  const [victim, survivor] = await victimHoldingRun(a, b, run);
  const { killedMs, ownedMs } = await killAndTakeOver(victim, survivor, c.partitions, [answers]);
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

const PARTIAL = /^partial answer: no caught-up ingester for partitions (\d+(?:, \d+)*); lines still in those ingesters are missing$/;

/** The partitions a partial answer's warning names; undefined when it is not one. */
function namedPartitions(warning: string): number[] | undefined {
  return PARTIAL.exec(warning)?.[1]?.split(', ').map(Number);
}

test('with querier.allow_partial_ingester_answers, kill -9 of one of two ingesters during log and metric query loops through a query frontend: every answer is a 200, whole or warning of the dead ingester\'s partitions, never short without a warning', async (t) => {
  const { c, distributor, a, b } = await twoIngesters(t, ['-validation.max-entries-limit=100000']);
  const frontend = await startRole(t, c, 'query-frontend');
  await startRole(t, c, 'querier', { flags: [`-querier.frontend-address=${frontend.url}`, '-querier.allow-partial-ingester-answers'] });
  const run = `partial-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 16, linesPerPush: 1, everyMs: 100, run });
  const loops = {
    metric: startCountAnswers(t, frontend.url, TENANT, run, () => pusher.ackedLines(), 15_000),
    log: startCountAnswers(t, frontend.url, TENANT, run, () => pusher.ackedLines(), 15_000, { kind: 'log', limit: 100_000 }),
  };
  await pusher.waitForMore(300);
  const [victim, survivor] = await victimHoldingRun(a, b, run);
  const dead = await ownedPartitions(victim);
  const { killedMs, ownedMs } = await killAndTakeOver(victim, survivor, c.partitions, [loops.metric.answers, loops.log.answers]);
  await pusher.waitForMore(100);
  await Promise.all([loops.metric.stop(), loops.log.stop()]);
  await pusher.stop();
  assert.equal(pusher.failures(), 0, 'every push was acknowledged');

  const report: string[] = [];
  for (const [kind, { answers }] of Object.entries(loops)) {
    const not200 = answers.filter((x) => x.status !== 200);
    assert.deepEqual(not200.map((x) => `${x.status} ${x.body}`).slice(0, 3), [], `${kind}: only 200`);
    const short = answers.filter((x) => x.warnings.length === 0 && x.count < x.required);
    assert.deepEqual(short.map((x) => `${x.sentMs - killedMs} ms after the kill: ${x.count} of ${x.required}`).slice(0, 5), [], `${kind}: no answer without a warning misses acknowledged lines`);
    const partial = answers.filter((x) => x.warnings.length > 0);
    const named = new Set<number>();
    let survivors = 0;
    for (const x of partial) {
      assert.equal(x.warnings.length, 1, x.warnings.join(' | '));
      const ps = namedPartitions(x.warnings[0] as string);
      assert.ok(ps !== undefined, `${kind}: a partial answer's warning: ${x.warnings[0]}`);
      assert.deepEqual(ps.filter((p) => p < 0 || p >= c.partitions), [], `${kind}: the warning names partitions of the topic`);
      for (const p of ps) named.add(p);
      // The eager rebalance has the survivor hand its own partitions back and catch up on them too, briefly.
      if (ps.some((p) => !dead.includes(p))) survivors++;
    }
    // A partition with no records not yet durable needs no ingester, so it is never named.
    assert.ok(dead.some((p) => named.has(p)), `${kind}: a partial answer named a partition of the dead ingester (${dead.join(', ')}; named ${[...named].join(', ')})`);
    const missingLines = partial.filter((x) => x.count < x.required).length;
    report.push(`${kind}: ${answers.filter((x) => x.sentMs > killedMs).length} queries after the kill, ${partial.length} partial naming partitions ${[...named].sort().join(', ')} (${missingLines} of them missing acknowledged lines, ${survivors} also naming a survivor's partition), the rest whole`);
  }
  console.log(`kill -9 of one of two ingesters, partial answers allowed: dead ingester owned partitions ${dead.join(', ')}; survivor owned every partition ${ownedMs} ms after the kill; ${report.join('; ')}`);
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
