/**
 * The Kafka broker down for 30 s under a sustained push: the distributor refuses what it cannot
 * produce (nothing is acknowledged that Kafka does not hold), queries answer within a bound instead
 * of hanging, and once the broker is back pushes are acknowledged again and every acknowledged line
 * is readable exactly once. After the broker is back, a query loop every 250 ms never gets a 200
 * missing lines acknowledged 1.5 s before it was sent: until the ingester's consumer fetches again
 * and has caught up, queries answer 503. The test runs its own broker (deploy/local/kafka.sh on private ports and
 * a private directory) so it can stop it; the broker keeps its data across the stop.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { uniqueName, waitUntil } from '../helpers/env.js';
import { startRole, waitForOwners, type ClusterSpec } from '../helpers/cluster.js';
import { freePort } from '../helpers/fjord-process.js';
import { freshBucket } from '../helpers/s3-bucket.js';
import { readStream, startPusher } from '../helpers/pusher.js';
import { startCountAnswers } from '../helpers/count-answers.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const TENANT = 'kafka-outage';
const OUTAGE_MS = 30_000;
const QUERY_BOUND_MS = 10_000;
function kafka(command: 'start' | 'stop', env: NodeJS.ProcessEnv): void {
  execFileSync('bash', ['deploy/local/kafka.sh', command], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** One query through the querier: its status and how long it took. */
async function timedQuery(url: string, run: string): Promise<{ status: number; ms: number }> {
  const t0 = Date.now();
  const q = new URLSearchParams({ query: `sum(count_over_time({run="${run}"}[10m]))`, time: String(Date.now() / 1000) });
  const res = await fetch(`${url}/loki/api/v1/query?${q}`, { headers: { 'x-scope-orgid': TENANT }, signal: AbortSignal.timeout(60_000) });
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - t0 };
}

test('Kafka broker down for 30 s: pushes refused, queries bounded, nothing acknowledged lost or doubled', { timeout: 420_000 }, async (t) => {
  const [port, controllerPort] = [await freePort(), await freePort()];
  // One hook stops the broker, then removes its directory (which holds the pid file it stops by).
  const runDir = await mkdtemp(join(tmpdir(), 'fjord-kafka-'));
  const kafkaEnv = { KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_HEAP: '384m', FJORD_LOCAL_RUN: runDir };
  t.after(async () => {
    kafka('stop', kafkaEnv);
    await rm(runDir, { recursive: true, force: true });
  });
  kafka('start', kafkaEnv);
  const c: ClusterSpec = { topic: uniqueName('fjord-kafka-outage'), bucket: await freshBucket(t), partitions: 2, extra: [`-kafka.address=127.0.0.1:${port}`] };
  const distributor = await startRole(t, c, 'distributor');
  const ingester = await startRole(t, c, 'ingester');
  const querier = await startRole(t, c, 'querier');
  await waitForOwners(ingester, c.partitions);
  const run = `kafka-outage-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 4, linesPerPush: 40, everyMs: 50, run });
  await pusher.waitForMore(3000);

  kafka('stop', kafkaEnv);
  const downAt = Date.now();
  const failuresAtStop = pusher.failures();
  const ackedAtStop = pusher.ackedLines();
  let slowest = 0;
  const statuses = new Map<number, number>();
  while (Date.now() - downAt < OUTAGE_MS) {
    const q = await timedQuery(querier.url, run);
    slowest = Math.max(slowest, q.ms);
    statuses.set(q.status, (statuses.get(q.status) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const refused = pusher.failures() - failuresAtStop;
  assert.ok(refused > 0, 'pushes are refused while the broker is down');
  assert.ok(slowest < QUERY_BOUND_MS, `the slowest query during the outage took ${slowest} ms`);

  kafka('start', kafkaEnv);
  const upAt = Date.now();
  const { answers, stop } = startCountAnswers(t, querier.url, TENANT, run, () => pusher.ackedLines(), 30_000);
  await pusher.waitForMore(2000, 180_000);
  const ackedAgainAt = Date.now();
  await waitUntil('whole answers again after the broker is back', () => answers.some((x) => x.sentMs > ackedAgainAt && x.status === 200 && x.count >= x.required), 120_000, 250);
  await new Promise((r) => setTimeout(r, 3000));
  await stop();
  const wrongStatus = answers.filter((x) => x.status !== 200 && x.status !== 503);
  assert.deepEqual(wrongStatus.map((x) => `${x.status} ${x.body}`).slice(0, 3), [], 'only 200 or 503 after the broker is back');
  const short = answers.filter((x) => x.status === 200 && x.count < x.required);
  assert.deepEqual(short.map((x) => `${x.sentMs - upAt} ms after the broker came back: ${x.count} of ${x.required}`).slice(0, 5), [], 'no 200 answer misses acknowledged lines');
  const refusedAfter = answers.filter((x) => x.status === 503);
  const lastRefused = refusedAfter[refusedAfter.length - 1];
  const firstWhole = answers.find((x) => x.sentMs > ackedAgainAt && x.status === 200);
  console.log(`after the broker came back: ${answers.length} queries, ${refusedAfter.length} answered 503 (the last sent ${lastRefused ? lastRefused.sentMs - upAt : 0} ms after it came back), ${answers.length - refusedAfter.length} answered 200, none short; pushes acknowledged again ${ackedAgainAt - upAt} ms after it came back, first whole answer after that sent ${(firstWhole?.sentMs ?? NaN) - upAt} ms after it came back; 503 body: ${lastRefused?.body.trim().slice(0, 200) ?? '-'}`);
  t.diagnostic(`broker down ${Math.round((upAt - downAt) / 1000)} s: ${pusher.ackedLines() - ackedAtStop} lines acknowledged after the stop, ${refused} pushes refused, queries ${JSON.stringify(Object.fromEntries(statuses))} by status, slowest ${slowest} ms; pushes acknowledged again ${((ackedAgainAt - upAt) / 1000).toFixed(1)} s after it came back`);
  await pusher.stop();
  await waitUntil('the ingester owns its partitions again', async () => {
    const res = await fetch(`${ingester.url}/flush`, { method: 'POST' });
    return res.status === 204;
  }, 120_000, 1000);
  let total = 0;
  for (const [app, lines] of pusher.acked) {
    let got: string[] = [];
    await waitUntil(`${app}: every acknowledged line readable`, async () => {
      got = await readStream(querier, TENANT, run, app, 900_000).catch(() => []);
      const seen = new Set(got);
      return [...lines].every((l) => seen.has(l));
    }, 120_000, 1000);
    const seen = new Map<string, number>();
    for (const l of got) seen.set(l, (seen.get(l) ?? 0) + 1);
    assert.equal([...seen.values()].filter((n) => n > 1).length, 0, `${app}: lines returned twice`);
    total += lines.size;
  }
  assert.ok(total > 3000, `${total} lines acknowledged`);
});
