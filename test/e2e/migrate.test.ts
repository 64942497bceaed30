/**
 * Cluster migration between two local clusters on Kafka and S3, as README's runbook walks it: an
 * old cluster holding a tenant's logs, a new one taking the writes; `fjord migrate check` refuses
 * while the old ingesters hold records in memory, then while the new store lacks the old chunks,
 * and agrees once the old topic has been replayed into the new store.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { stringify } from 'yaml';
import { clusterFlags, newCluster, startRole, type ClusterSpec } from '../helpers/cluster.js';
import { s3Block } from '../helpers/config.js';
import { kafkaBrokers, tempDir, waitUntil } from '../helpers/env.js';
import { pushStreams, runFjord } from '../helpers/fjord-command.js';

/** The new cluster's config file, as its operator would write it. */
async function configFile(dir: string, c: ClusterSpec): Promise<string> {
  const path = join(dir, 'new-cluster.yaml');
  await writeFile(path, stringify({
    kafka_config: { address: kafkaBrokers(), topic: c.topic, consumer_group: c.topic },
    common: { path_prefix: join(dir, 'new'), storage: { s3: s3Block(c.bucket) } },
  }));
  return path;
}

test('migrate check: refuses until the old records are durable and in the new store, then agrees', { timeout: 240_000 }, async (t) => {
  const old = await newCluster(t, 2);
  const fresh = await newCluster(t, 2);
  const oldFjord = await startRole(t, old, 'all');
  const newFjord = await startRole(t, fresh, 'all');
  const now = Date.now();
  const ns = (ms: number) => BigInt(ms) * 1_000_000n;
  await pushStreams(oldFjord.url, 'acme', [
    { labels: { app: 'billing' }, entries: Array.from({ length: 20 }, (_, i) => [ns(now - 600_000 + i * 1000), `old line ${i} ${randomBytes(100).toString('hex')}`] as const) },
    { labels: { app: 'auth' }, entries: Array.from({ length: 5 }, (_, i) => [ns(now - 500_000 + i * 1000), `old auth ${i}`] as const) },
  ]);
  const dir = await tempDir(t, 'fjord-migrate');
  const newConfig = await configFile(dir, fresh);
  const check = () => runFjord(['migrate', 'check', '--new-config', newConfig, '--quiet-period', '1s', ...clusterFlags(old)]);

  // Writes move to the new cluster; the old ingesters still hold the old lines in memory.
  await pushStreams(newFjord.url, 'acme', [{ labels: { app: 'billing' }, entries: [[ns(now), 'new line']] }]);
  await waitUntil('the old ingester to consume the push', async () => /^loki_ingester_partition_current_offset\{partition="\d+"\} [0-9]/m.test(await (await fetch(`${oldFjord.url}/metrics`)).text()), 30_000, 200);
  const inMemory = await check();
  assert.equal(inMemory.code, 1, inMemory.stdout + inMemory.stderr);
  assert.match(inMemory.stdout, /records are not durable yet .*POST \/flush to the old ingesters/);

  // The runbook's flush: everything the old cluster took reaches its store and is committed.
  assert.equal((await fetch(`${oldFjord.url}/flush`, { method: 'POST' })).status, 204);
  const flushed = await waitUntil('the old records durable', async () => {
    const r = await check();
    return /records are not durable/.test(r.stdout) ? null : r;
  }, 60_000, 500) as Awaited<ReturnType<typeof check>>;
  assert.equal(flushed.code, 1);
  assert.match(flushed.stdout, /tenant acme, period \d{4}-\d{2}-\d{2}: 2 of 2 old chunks are not in the new store/);

  // The old topic replayed into the new store (the old cluster's Kafka settings, the new bucket),
  // with 1 KB blocks and chunks: other chunks than the old ingester's, compared by their entries.
  const replay = await runFjord(['replay', '--partitions', 'all', '--from-offset', '0', ...clusterFlags({ ...old, bucket: fresh.bucket }), '-ingester.chunks-block-size=1KB', '-ingester.chunk-target-size=1KB']);
  assert.equal(replay.code, 0, replay.stderr);
  const done = await check();
  assert.equal(done.code, 0, done.stdout + done.stderr);
  const row = /^acme\s+\d{4}-\d{2}-\d{2}\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(done.stdout);
  assert.ok(row, done.stdout);
  const [oldChunks, newChunks, sameKey, byContent, missing] = row.slice(1).map(Number) as [number, number, number, number, number];
  assert.deepEqual({ oldChunks, missing, checked: sameKey + byContent }, { oldChunks: 2, missing: 0, checked: 2 });
  assert.ok(byContent > 0 && newChunks > 0, `the replay's differently cut chunks hold the old ones' entries (${done.stdout})`);
  assert.match(done.stdout, /the old cluster may be deleted/);
});
