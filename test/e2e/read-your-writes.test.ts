/**
 * Read-your-writes end to end: a push answers `X-Fjord-Write-Position`, and a query that sends it
 * back sees the line just pushed, round after round with no sleep between push and query. On real
 * Kafka with two ingesters sharing the partitions (each `write` process a distributor and an
 * ingester, pushes alternating between them) and a `read` process; and on the embedded log in one
 * `all` process. Also: a position nobody has reached answers 503 after the client's timeout, a
 * malformed one 400, `/fjord/api/v1/freshness` reports every partition caught up, and the read
 * process's `/status/api` shows both ingesters (their own reports) owning the partitions, caught up.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterStatus } from '../../platform/index.js';
import { encodeWritePosition, decodeWritePosition } from '../../schemas/record/index.js';
import { newCluster, startRole } from '../helpers/cluster.js';
import { tempDir, uniqueName, waitUntil } from '../helpers/env.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';
import { pushLine as push, pushThenQueryRounds, queryLines as query } from '../helpers/read-your-writes.js';

const ROUNDS = 1000;
const TENANT = 'ryw';

const pushLine = (f: FjordChild, run: string, app: string, line: string) => push(f, TENANT, run, app, line);
const queryLines = (f: FjordChild, run: string, app: string, headers: Record<string, string>) => query(f, TENANT, run, app, headers);
const rounds = (writers: readonly FjordChild[], reader: FjordChild, run: string) => pushThenQueryRounds(writers, reader, TENANT, run, ROUNDS);

async function refusals(writer: FjordChild, reader: FjordChild, run: string): Promise<void> {
  const position = decodeWritePosition(await pushLine(writer, run, 'x', `${run} beyond`));
  const beyond = encodeWritePosition(new Map([...position].map(([p, o]) => [p, o + 1_000_000])));
  const t0 = Date.now();
  const late = await queryLines(reader, run, 'x', { 'x-fjord-write-position': beyond, 'x-fjord-write-position-timeout': '300ms' });
  assert.equal(late.status, 503, late.text);
  assert.match(late.text, /^write position not reached within 300ms: partition \d+ consumed to offset \d+ of \d+ on http:\/\/127\.0\.0\.1:\d+/);
  assert.ok(Date.now() - t0 >= 300, 'answered only after the timeout');
  const bad = await queryLines(reader, run, 'x', { 'x-fjord-write-position': 'offset 12' });
  assert.equal(bad.status, 400);
  assert.equal(bad.text, 'invalid X-Fjord-Write-Position header "offset 12": send back the value a push answered');
  const badTimeout = await queryLines(reader, run, 'x', { 'x-fjord-write-position': encodeWritePosition(position), 'x-fjord-write-position-timeout': 'soon' });
  assert.equal(badTimeout.status, 400);
}

interface FreshnessAnswer {
  tenant: string;
  behind_seconds: number | null;
  fresh_until: string | null;
  partitions: Array<{ partition: number; end_offset: number; consumed_offset: number | null; lag_records: number | null; behind_seconds: number | null }>;
}

async function caughtUp(reader: FjordChild, partitions: number): Promise<FreshnessAnswer> {
  return waitUntil<FreshnessAnswer | false>('every partition caught up', async () => {
    const res = await fetch(`${reader.url}/fjord/api/v1/freshness`, { headers: { 'x-scope-orgid': TENANT } });
    assert.equal(res.status, 200);
    const f = (await res.json()) as FreshnessAnswer;
    return f.partitions.length === partitions && f.behind_seconds === 0 ? f : false;
  }, 30_000, 200) as Promise<FreshnessAnswer>;
}

test('kafka: 1,000 push-then-query rounds through two ingesters, each query with the push\'s write position, none missing its line', async (t) => {
  const cluster = await newCluster(t, 4);
  const zone = ['-ingester.availability-zone=zone-a'];
  const writers = [await startRole(t, cluster, 'write', { flags: zone }), await startRole(t, cluster, 'write', { flags: zone })];
  const reader = await startRole(t, cluster, 'read');
  await waitUntil('both ingesters own partitions', async () => {
    const s = (await (await fetch(`${reader.url}/status/api`)).json()) as { partitions: Array<{ zones: Array<{ owner: string | null }> }> };
    const owners = new Set(s.partitions.map((p) => p.zones[0]?.owner ?? null));
    return s.partitions.length === 4 && !owners.has(null) && owners.size === 2;
  }, 60_000, 250);
  const run = uniqueName('ryw');
  const missed = await rounds(writers, reader, run);
  assert.deepEqual(missed, []);
  await refusals(writers[0] as FjordChild, reader, run);
  const fresh = await caughtUp(reader, 4);
  assert.equal(fresh.tenant, TENANT);
  assert.ok(fresh.partitions.every((p) => p.lag_records === 0 && p.consumed_offset === p.end_offset), JSON.stringify(fresh));
  assert.ok(fresh.fresh_until !== null);
  const noTenant = await fetch(`${reader.url}/fjord/api/v1/freshness`);
  assert.equal(noTenant.status, 401);

  const status = (await (await fetch(`${reader.url}/status/api`)).json()) as ClusterStatus;
  assert.deepEqual(status.errors, []);
  for (const w of writers) {
    const p = status.processes.find((x) => x.address === w.url);
    assert.ok(p, `${w.url} in ${JSON.stringify(status.processes.map((x) => x.address))}`);
    assert.equal(p.target, 'write');
    assert.equal(p.ready, true);
    assert.deepEqual(p.groups, [`${cluster.topic}-ingester-zone-a`]);
  }
  assert.equal(status.processes.find((x) => x.address === reader.url)?.target, 'read');
  const ends = new Map(fresh.partitions.map((p) => [p.partition, p.end_offset]));
  for (const p of status.partitions) {
    const z = p.zones[0];
    assert.ok(z && z.zone === 'zone-a' && writers.some((w) => w.url === z.owner), JSON.stringify(p));
    assert.ok(p.end_offset >= (ends.get(p.partition) ?? 0));
    assert.equal(z.consumed_offset, p.end_offset);
    assert.equal(z.lag_records, 0);
  }
  assert.ok(status.partitions.reduce((n, p) => n + p.end_offset, 0) >= ROUNDS + 1, 'a record per push');
  assert.ok(status.tenants.some((r) => r.tenant === TENANT), JSON.stringify(status.tenants));
});

test('embedded: 1,000 push-then-query rounds in one process, each query with the write position, none missing its line', async (t) => {
  const dir = await tempDir(t);
  const f = await startFjord(t, [`-common.path-prefix=${dir}`, '-auth.enabled=true', `-kafka.topic=${uniqueName('ryw')}`, '-validation.reject-old-samples=false']);
  await waitReady(f, 60_000);
  const run = uniqueName('ryw');
  const missed = await rounds([f], f, run);
  assert.deepEqual(missed, []);
  await refusals(f, f, run);
  await caughtUp(f, 4);
});
