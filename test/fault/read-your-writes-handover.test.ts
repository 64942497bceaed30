/**
 * Read-your-writes across a hand-over, on real Kafka and S3: push-then-query rounds with the write
 * position run while a second ingester joins the zone and takes half the partitions (the first
 * flushes and commits them, the second replays from the commit). No round misses its line: the
 * query waits for the new owner to consume past the push, through the moment nobody owns the
 * partition.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterStatus } from '../../platform/index.js';
import { newCluster, startRole } from '../helpers/cluster.js';
import { uniqueName } from '../helpers/env.js';
import type { FjordChild } from '../helpers/fjord-process.js';
import { pushThenQueryRounds } from '../helpers/read-your-writes.js';

const TENANT = 'ryw-handover';
const ROUNDS = 600;

test('kafka: push-then-query rounds with the write position while a second ingester joins; none misses its line', async (t) => {
  const cluster = await newCluster(t, 4);
  const zone = ['-ingester.availability-zone=zone-a'];
  const first = await startRole(t, cluster, 'write', { flags: zone });
  const reader = await startRole(t, cluster, 'read');
  let second: Promise<FjordChild> | null = null;
  const run = uniqueName('ryw');
  const missed = await pushThenQueryRounds([first], reader, TENANT, run, ROUNDS, async (i) => {
    if (i === 50) second = startRole(t, cluster, 'write', { flags: zone, ready: false });
  });
  assert.deepEqual(missed, []);
  const joined = await (second as Promise<FjordChild> | null);
  assert.ok(joined);
  const status = (await (await fetch(`${reader.url}/status/api`)).json()) as ClusterStatus;
  const owners = new Set(status.partitions.map((p) => p.zones[0]?.owner));
  assert.ok(owners.has(joined.url) && owners.has(first.url), `both ingesters own partitions after the rounds: ${JSON.stringify([...owners])}`);
});
