/**
 * The object store down for 60 s under a sustained push: uploads retry with backoff, committed
 * offsets stand still, the ingester's memory stays near its limit (consumption waits instead of
 * growing), and once the store is back every acknowledged line is readable exactly once. The test
 * runs its own S3 server (deploy/local/s3.sh on a private port and directory) so it can stop it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { uniqueName, waitUntil } from '../helpers/env.js';
import { metric, startRole, waitForOwners, type ClusterSpec } from '../helpers/cluster.js';
import { freePort } from '../helpers/fjord-process.js';
import { readStream, startPusher } from '../helpers/pusher.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const TENANT = 'outage';
const MAX_MEMORY = 2 * 1024 * 1024;
const OUTAGE_MS = 60_000;

function s3(command: 'start' | 'stop', env: NodeJS.ProcessEnv): void {
  execFileSync('bash', ['deploy/local/s3.sh', command], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

test('object store down for 60 s: retries, no commits, bounded memory, nothing lost', async (t) => {
  const port = await freePort();
  // One hook stops the server, then removes its directory (which holds the pid file it stops by).
  const runDir = await mkdtemp(join(tmpdir(), 'fjord-s3-'));
  const s3env = { S3_PORT: String(port), S3_BUCKET: 'outage', FJORD_LOCAL_RUN: runDir };
  t.after(async () => {
    s3('stop', s3env);
    await rm(runDir, { recursive: true, force: true });
  });
  s3('start', s3env);
  const c: ClusterSpec = {
    topic: uniqueName('fjord-outage'), bucket: 'outage', partitions: 2, s3Endpoint: `http://127.0.0.1:${port}`,
    extra: ['-ingester.chunk-target-size=32KB', '-ingester.chunks-block-size=16KB', `-ingester.max-memory=${MAX_MEMORY}`],
  };
  const distributor = await startRole(t, c, 'distributor');
  const ingester = await startRole(t, c, 'ingester');
  const querier = await startRole(t, c, 'querier');
  await waitForOwners(ingester, c.partitions);
  const run = `outage-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 4, linesPerPush: 40, everyMs: 25, run });
  await pusher.waitForMore(5000);
  await waitUntil('chunks uploaded before the outage', async () => (await metric(ingester, 'loki_ingester_chunks_flushed_total')) > 0, 30_000, 200);

  s3('stop', s3env);
  const outageStart = Date.now();
  // A retried upload has failed: what was uploaded before the outage is committed by then.
  await waitUntil('uploads failing and retried', async () => (await metric(ingester, 'loki_ingester_chunks_flush_failures_total')) >= 2, 30_000, 200);
  const committedAtStart = await metric(ingester, 'loki_kafka_client_partition_reader_last_committed_offset');
  let maxMemory = 0;
  while (Date.now() - outageStart < OUTAGE_MS) {
    maxMemory = Math.max(maxMemory, await metric(ingester, 'fjord_ingester_memory_bytes'));
    await new Promise((r) => setTimeout(r, 1000));
  }
  const committedAtEnd = await metric(ingester, 'loki_kafka_client_partition_reader_last_committed_offset');
  assert.equal(committedAtEnd, committedAtStart, 'no offset committed while the store is down');
  assert.ok(await metric(ingester, 'loki_ingester_chunks_flush_failures_total') > 0, 'uploads failed and were retried');
  assert.ok(maxMemory > 0 && maxMemory < MAX_MEMORY * 1.5, `memory held ${maxMemory} bytes against a limit of ${MAX_MEMORY}`);
  assert.equal(pusher.failures(), 0, 'pushes kept being acknowledged (Kafka holds them)');

  s3('start', s3env);
  const backAt = Date.now();
  await waitUntil('offsets committed again', async () => (await metric(ingester, 'loki_kafka_client_partition_reader_last_committed_offset')) > committedAtEnd, 90_000, 500);
  t.diagnostic(`store down ${Math.round((backAt - outageStart) / 1000)} s; commits resumed ${((Date.now() - backAt) / 1000).toFixed(1)} s after it came back; ingester memory peaked at ${maxMemory} bytes`);
  await pusher.waitForMore(2000); // pushed once the store is back
  await pusher.stop();
  const res = await fetch(`${ingester.url}/flush`, { method: 'POST' });
  assert.equal(res.status, 204, await res.text());
  let total = 0;
  for (const [app, lines] of pusher.acked) {
    const got = await readStream(querier, TENANT, run, app, 600_000);
    const seen = new Map<string, number>();
    for (const l of got) seen.set(l, (seen.get(l) ?? 0) + 1);
    assert.equal([...lines].filter((l) => !seen.has(l)).length, 0, `${app}: acknowledged lines missing`);
    assert.equal([...seen.values()].filter((n) => n > 1).length, 0, `${app}: lines returned twice`);
    total += lines.size;
  }
  assert.ok(total > 10_000, `${total} lines pushed`);
});
