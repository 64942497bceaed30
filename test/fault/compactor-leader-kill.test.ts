/**
 * kill -9 of the compactor leader, on the real Kafka broker and S3 server: the other compactor
 * becomes leader once the group's session timeout has passed (partition 0 of `<topic>.control`
 * is handed to it), and exactly one compactor says it runs (`loki_boltdb_shipper_compactor_running`)
 * before and after. The takeover time is printed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitUntil } from '../helpers/env.js';
import { metric, newCluster, startRole } from '../helpers/cluster.js';
import type { FjordChild } from '../helpers/fjord-process.js';

const RUNNING = 'loki_boltdb_shipper_compactor_running';

async function leaders(compactors: readonly FjordChild[]): Promise<FjordChild[]> {
  const out: FjordChild[] = [];
  for (const c of compactors) if (c.child.exitCode === null && c.child.signalCode === null && (await metric(c, RUNNING)) === 1) out.push(c);
  return out;
}

test('kill -9 of the compactor leader: the other compactor takes over after the session timeout', async (t) => {
  const c = await newCluster(t, 2);
  const compactors = [await startRole(t, c, 'compactor'), await startRole(t, c, 'compactor')];
  const found = await waitUntil('one compactor leads', async () => {
    const l = await leaders(compactors);
    return l.length === 1 ? l : null;
  }, 60_000, 200);
  const leader = found?.[0];
  assert.ok(leader);
  const other = compactors.find((x) => x !== leader) as FjordChild;
  assert.equal(await metric(other, RUNNING), 0, 'the other compactor does not run');

  const killedAt = Date.now();
  const exited = new Promise((r) => leader.child.once('exit', r));
  leader.child.kill('SIGKILL');
  await exited;
  await waitUntil('the other compactor leads', async () => (await metric(other, RUNNING)) === 1, 60_000, 200);
  const takeoverMs = Date.now() - killedAt;
  t.diagnostic(`compactor leadership taken over ${(takeoverMs / 1000).toFixed(1)} s after kill -9 (session timeout 6 s)`);
  assert.deepEqual(await leaders(compactors), [other]);
});
