/**
 * The ingester under faults, on the real Kafka broker and S3 server, with every role a separate
 * fjord process: killed with SIGKILL mid-push, one of two ingesters dying, and a corrupt record on
 * a partition. After each, every line whose push was acknowledged is readable exactly once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaLog, silentLogger } from '../../platform/index.js';
import { kafkaBrokers, tempDir, waitUntil } from '../helpers/env.js';
import { metric, newCluster, startRole, waitForOwners, type ClusterSpec } from '../helpers/cluster.js';
import type { FjordChild } from '../helpers/fjord-process.js';
import { readStream, startPusher, type Pusher } from '../helpers/pusher.js';

const TENANT = 'fault';

/** Every acknowledged line is read back exactly once, and nothing else of the run is there. */
async function assertExactlyOnce(querier: FjordChild, pusher: Pusher, run: string): Promise<number> {
  let total = 0;
  for (const [app, lines] of pusher.acked) {
    const got = await readStream(querier, TENANT, run, app, 600_000);
    const seen = new Map<string, number>();
    for (const l of got) seen.set(l, (seen.get(l) ?? 0) + 1);
    const missing = [...lines].filter((l) => !seen.has(l));
    const doubled = [...seen].filter(([, n]) => n > 1).map(([l]) => l);
    assert.deepEqual(missing.slice(0, 5), [], `${app}: ${missing.length} acknowledged lines missing`);
    assert.deepEqual(doubled.slice(0, 5), [], `${app}: lines returned more than once`);
    total += lines.size;
  }
  return total;
}

async function flush(ingester: FjordChild): Promise<void> {
  const res = await fetch(`${ingester.url}/flush`, { method: 'POST' });
  assert.equal(res.status, 204, await res.text());
}

function kafkaLog(c: ClusterSpec): KafkaLog {
  return new KafkaLog(
    { brokers: kafkaBrokers(), dialTimeoutMs: 2000, requestTimeoutMs: 30_000, sasl: null, topic: c.topic, clientId: 'fjord-test',
      writeTimeoutMs: 10_000, autoCreatePartitions: null, maxRecordBytes: 1 << 24, maxBufferedBytes: 1 << 26, compression: 'none', sessionTimeoutMs: 30_000 },
    silentLogger(),
  );
}

test('kill -9 of the ingester during a sustained push loses nothing and duplicates nothing', async (t) => {
  const c = await newCluster(t);
  const distributor = await startRole(t, c, 'distributor');
  const ingesterDir = await tempDir(t, 'fjord-ingester');
  let ingester = await startRole(t, c, 'ingester', { dir: ingesterDir });
  const querier = await startRole(t, c, 'querier');
  await waitForOwners(ingester, c.partitions);
  const run = `kill9-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 3, linesPerPush: 5, everyMs: 40, run });
  await pusher.waitForMore(300);
  await flush(ingester);
  await waitUntil('offsets committed before the kill', async () => (await metric(ingester, 'loki_kafka_client_partition_reader_last_committed_offset')) > 0, 20_000);
  await pusher.waitForMore(300); // lines the ingester holds only in memory when it is killed
  ingester.child.kill('SIGKILL');
  await ingester.stop();
  await pusher.waitForMore(300); // pushed while no ingester runs
  ingester = await startRole(t, c, 'ingester', { dir: ingesterDir });
  await waitForOwners(ingester, c.partitions);
  await pusher.waitForMore(300); // pushed after the restart
  await pusher.stop();
  await flush(ingester);
  const total = await assertExactlyOnce(querier, pusher, run);
  assert.ok(total > 500, `a sustained load (${total} lines acknowledged)`);
  assert.equal(pusher.failures(), 0, 'the distributor kept answering while the ingester was down');
});

test('two ingesters; one dies; the other takes over its partitions and nothing is lost', async (t) => {
  const c = await newCluster(t);
  const distributor = await startRole(t, c, 'distributor');
  const a = await startRole(t, c, 'ingester');
  const b = await startRole(t, c, 'ingester');
  const querier = await startRole(t, c, 'querier');
  await waitUntil('both ingesters own partitions', async () =>
    (await metric(a, 'fjord_ingester_replay_lag_records')) >= 0 &&
    (await fetch(`${a.url}/metrics`).then((r) => r.text())).includes('loki_kafka_client_partition_reader_last_committed_offset{') &&
    (await fetch(`${b.url}/metrics`).then((r) => r.text())).includes('loki_kafka_client_partition_reader_last_committed_offset{'), 60_000, 200);
  const run = `failover-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 4, linesPerPush: 5, everyMs: 40, run });
  await pusher.waitForMore(500);
  b.child.kill('SIGKILL');
  await b.stop();
  // Pushes go on while the group notices the dead member and hands its partitions over.
  await waitUntil('the survivor owns every partition', async () => {
    const owned = [...(await (await fetch(`${a.url}/ingester/internal/series?tenant=x&start=0&end=1`)).json() as { partitions: number[] }).partitions];
    return owned.length === c.partitions;
  }, 60_000, 200);
  await pusher.waitForMore(300); // pushed after the hand-over
  await pusher.stop();
  await flush(a);
  await assertExactlyOnce(querier, pusher, run);
});

test('a corrupt record is skipped and counted (or dead-lettered) and the partition keeps moving', async (t) => {
  const c = await newCluster(t, 1);
  const dlqTopic = `${c.topic}-dlq`;
  const distributor = await startRole(t, c, 'distributor');
  const ingester = await startRole(t, c, 'ingester', { flags: [`-kafka.dead-letter-topic=${dlqTopic}`] });
  const querier = await startRole(t, c, 'querier');
  await waitForOwners(ingester, 1);
  const log = kafkaLog(c);
  await log.start(new AbortController().signal);
  t.after(() => log.stop());
  await log.produce(0, [
    { value: Buffer.from('not a push request at all'), headers: { tenant: Buffer.from(TENANT) } },
    { value: Buffer.from('{"streams":[{"stream":{"app":"outside","run":"r"},"values":[["' + String(BigInt(Date.now()) * 1_000_000n) + '","from an outside producer"]]}]}'), key: Buffer.from(TENANT), headers: { 'content-type': Buffer.from('application/json') } },
  ]);
  const run = `corrupt-${Date.now()}`;
  const pusher = startPusher(t, () => distributor, TENANT, { streams: 1, linesPerPush: 3, everyMs: 50, run });
  await pusher.waitForMore(60);
  await pusher.stop();
  await waitUntil('the corrupt record dead-lettered', async () => (await metric(ingester, 'fjord_ingester_malformed_records_total', { action: 'dead_lettered' })) === 1, 30_000);
  await flush(ingester);
  await assertExactlyOnce(querier, pusher, run);
  const outside = await fetch(`${querier.url}/loki/api/v1/query_range?${new URLSearchParams({ query: '{app="outside"}', start: String(BigInt(Date.now() - 600_000) * 1_000_000n) })}`, { headers: { 'x-scope-orgid': TENANT } });
  assert.match(await outside.text(), /from an outside producer/);
  const dlq = new KafkaLog(
    { brokers: kafkaBrokers(), dialTimeoutMs: 2000, requestTimeoutMs: 30_000, sasl: null, topic: dlqTopic, clientId: 'fjord-test',
      writeTimeoutMs: 10_000, autoCreatePartitions: null, maxRecordBytes: 1 << 24, maxBufferedBytes: 1 << 26, compression: 'none', sessionTimeoutMs: 30_000 },
    silentLogger(),
  );
  await dlq.start(new AbortController().signal);
  t.after(() => dlq.stop());
  const ac = new AbortController();
  for await (const batch of dlq.read(0, 0, ac.signal)) {
    assert.equal(Buffer.from(batch[0]?.value ?? []).toString(), 'not a push request at all');
    assert.match(Buffer.from(batch[0]?.headers['fjord-error'] ?? []).toString(), /malformed record/);
    break;
  }
  ac.abort();
});
