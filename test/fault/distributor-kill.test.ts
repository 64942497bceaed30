/**
 * kill -9 of a distributor with pushes in flight, on the real Kafka broker: a push answered 204
 * is in Kafka whole (every one of its lines), so nothing acknowledged is lost; a push that got no
 * answer may or may not be there (the client retries it). A new distributor then takes pushes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kafkaBrokers, waitUntil } from '../helpers/env.js';
import { newCluster, startRole, type ClusterSpec } from '../helpers/cluster.js';
import { startPusher } from '../helpers/pusher.js';
import { eachStreamInTopic } from '../helpers/topic-streams.js';

const TENANT = 'distributor-kill';
const PUSHERS = 4;

/** Every line in the topic, read back from each partition's start to its end. */
async function linesInTopic(c: ClusterSpec): Promise<Set<string>> {
  const out = new Set<string>();
  await eachStreamInTopic(kafkaBrokers(), c.topic, (s) => {
    for (const e of s.entries) out.add(Buffer.from(e.line).toString());
  });
  return out;
}

test('kill -9 of a distributor with pushes in flight: every push answered 204 is in Kafka whole', async (t) => {
  const c = await newCluster(t, 4);
  let distributor = await startRole(t, c, 'distributor');
  const pushers = Array.from({ length: PUSHERS }, (_, i) => startPusher(t, () => distributor, TENANT, { streams: 8, linesPerPush: 50, everyMs: 0, run: `kill-${i}` }));
  await waitUntil('pushes acknowledged by every pusher', () => pushers.every((p) => p.ackedLines() >= 2_000), 60_000, 50);
  const killed = new Promise((r) => distributor.child.once('exit', r));
  distributor.child.kill('SIGKILL');
  await killed;
  for (const p of pushers) await p.stop();
  const failed = pushers.reduce((n, p) => n + p.failures(), 0);

  const inKafka = await linesInTopic(c);
  let acked = 0;
  let missing = 0;
  for (const p of pushers) {
    for (const lines of p.acked.values()) {
      for (const line of lines) {
        acked++;
        if (!inKafka.has(line)) missing++;
      }
    }
  }
  t.diagnostic(`${acked} acknowledged lines, ${inKafka.size} lines in Kafka, ${failed} pushes unanswered at the kill`);
  assert.equal(missing, 0, `${missing} of ${acked} acknowledged lines are not in Kafka`);
  assert.ok(inKafka.size >= acked);

  distributor = await startRole(t, c, 'distributor');
  const after = startPusher(t, () => distributor, TENANT, { streams: 2, linesPerPush: 10, everyMs: 50, run: 'after-kill' });
  await after.waitForMore(100);
  await after.stop();
});
