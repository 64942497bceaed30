/**
 * The operator commands as an operator runs them (`node dist/fjord.js <command> -config.file=…`)
 * against data written by a real fjord process, on both backend pairs: `fjord index rebuild`
 * restores every chunk ref after the bundles are deleted, `fjord replay` turns what a distributor
 * produced into chunks holding exactly the pushed entries (and a second run adds no chunk key
 * and no index bundle), and `fjord offsets` shows and resets a group's
 * offsets, refusing while the group has members, reads a compactor group on its control topic, and
 * ends quietly when its reader goes away (`| head`).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodecSet } from '../../schemas/index.js';
import { formatLabels, labelsFromObject } from '../../schemas/labels/index.js';
import { decodeChunk } from '../../schemas/chunk/index.js';
import { chunkKey, openIndexBundle, parseIndexBundleKey } from '../../schemas/index/index.js';
import { listAll, loadCodecs, type ObjectStore } from '../../platform/index.js';
import { BACKENDS, built, startedLog, startedStore, writeConfigFile } from '../helpers/backends.js';
import { uniqueName, waitUntil } from '../helpers/env.js';
import { pushStreams, runFjord, runFjordClosedStdout, someStreams, type PushedStream } from '../helpers/fjord-command.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';

/** Every chunk ref in the store's index bundles, by chunk key, as comparable text. */
async function indexedRefs(store: ObjectStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const o of listAll(store, 'index/')) {
    parseIndexBundleKey(o.key);
    const b = openIndexBundle(await store.get(o.key));
    for (const c of b.toInput().chunks) {
      out.set(chunkKey({ tenant: b.tenant, ...c }), JSON.stringify({ ...c, fromNs: String(c.fromNs), throughNs: String(c.throughNs) }));
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function keysUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of listAll(store, prefix)) out.push(o.key);
  return out.sort();
}

async function indexedEntries(store: ObjectStore): Promise<number> {
  let n = 0;
  for (const v of (await indexedRefs(store)).values()) n += (JSON.parse(v) as { entries: number }).entries;
  return n;
}

/** The entries of every chunk under `tenant/chunks/`, by stream label text: `ts line`, sorted. */
async function chunkEntries(store: ObjectStore, tenant: string, codecs: CodecSet): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const key of await keysUnder(store, `${tenant}/chunks/`)) {
    const c = decodeChunk(await store.get(key), codecs);
    const list = out.get(c.header.labels) ?? [];
    for (const b of c.blocks) for (let i = 0; i < b.count; i++) list.push(`${b.tsNs[i]} ${Buffer.from(b.line(i)).toString()}`);
    out.set(c.header.labels, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

function pushedEntries(streams: readonly PushedStream[]): Map<string, string[]> {
  return new Map(streams.map((s) => [formatLabels(labelsFromObject(s.labels)), s.entries.map(([ts, line]) => `${ts} ${line}`).sort()]));
}

function oneLine(text: string): void {
  assert.equal(text.trim().split('\n').length, 1, text);
  assert.doesNotMatch(text, /\bat .*:\d+:\d+/, 'no stack trace');
}

for (const backend of BACKENDS) {
  test(`${backend.name}: fjord index rebuild after deleting every bundle restores every chunk ref`, async (t) => {
    const file = await backend.config(t, { target: 'write', ingester: { availability_zone: uniqueName('zone') } });
    const configFlag = `-config.file=${await writeConfigFile(file)}`;
    const store = await startedStore(t, built(file));
    const nowMs = Date.now();
    const streams = someStreams(3, 30, nowMs);
    const server = await startFjord(t, [configFlag]);
    await waitReady(server, 60_000);
    await pushStreams(server.url, 'tenant-a', streams);
    await waitUntil('every pushed entry in an indexed chunk', async () => {
      await fetch(`${server.url}/flush`, { method: 'POST' });
      return (await indexedEntries(store)) === 90;
    }, 60_000, 500);
    assert.equal(await server.stop(), 0, server.output());
    const before = await indexedRefs(store);
    assert.ok(before.size >= 3);
    for (const key of await keysUnder(store, 'index/')) await store.delete(key);
    assert.equal((await indexedRefs(store)).size, 0);

    const range = ['--from', String(Math.floor(nowMs / 1000) - 7200), '--to', new Date(nowMs + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z')];
    const r = await runFjord(['index', 'rebuild', ...range, configFlag]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^index rebuild: \d+ chunks of 1 tenant overlap the range$/m);
    assert.match(r.stderr, /index rebuild: \d+\/\d+ chunks scanned, \d+ bundles written for \d+ periods/);
    assert.match(r.stdout, new RegExp(`^index rebuild done: ${before.size} chunks scanned of ${before.size} in range; \\d+ index bundles written for \\d+ periods and 1 tenants in `, 'm'));
    assert.deepEqual(await indexedRefs(store), before, 'the rebuilt refs equal the ingester-written ones, sizes and counts included');
    const bundles = await keysUnder(store, 'index/');
    assert.ok(bundles.every((k) => /\/rebuild-[0-9a-f]{16}$/.test(k)), bundles.join('\n'));

    const again = await runFjord(['index', 'rebuild', ...range, '--tenant', 'tenant-a', configFlag]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await keysUnder(store, 'index/'), bundles, 'rebuilding again rewrites the same bundles');
    assert.deepEqual(await indexedRefs(store), before);

    const outside = await runFjord(['index', 'rebuild', '--from', '2001-01-01T00:00:00Z', '--to', '2001-01-02T00:00:00Z', configFlag]);
    assert.equal(outside.code, 0, outside.stderr);
    assert.match(outside.stdout, /^index rebuild done: 0 chunks scanned of 0 in range; 0 index bundles written/m);
  });

  test(`${backend.name}: fjord replay of what a distributor produced yields chunks holding the pushed entries; running it again adds no chunk key`, async (t) => {
    const file = await backend.config(t, { target: 'distributor' });
    const configFlag = `-config.file=${await writeConfigFile(file)}`;
    const codecs = await loadCodecs();
    const streams = someStreams(4, 40, Date.now());
    const server = await startFjord(t, [configFlag]);
    await waitReady(server, 60_000);
    await pushStreams(server.url, 'tenant-b', streams.slice(0, 2));
    await pushStreams(server.url, 'tenant-b', streams.slice(2));
    assert.equal(await server.stop(), 0, server.output());
    const store = await startedStore(t, built(file));
    const want = pushedEntries(streams);

    const p0 = await runFjord(['replay', '--partitions', '0', '--from-offset', '0', configFlag]);
    assert.equal(p0.code, 0, p0.stderr);
    assert.match(p0.stderr, /^replay: topic \S+, partition 0 offsets 0\.\.\d+$/m);
    assert.match(p0.stderr, /^replay: p0 offset \d+\/\d+ \d+\/\d+ records \(100%\) done in /m);
    assert.match(p0.stdout, /^partition 0: offsets 0\.\.\d+ \(exclusive\), \d+ records read, \d+ entries, 0 malformed, \d+ chunks$/m);
    assert.match(p0.stdout, /^replay done: \d+ records, \d+ chunks written, \d+ index bundles uploaded in /m);
    const fromP0 = await chunkEntries(store, 'tenant-b', codecs);
    for (const [labels, entries] of fromP0) assert.deepEqual(entries, want.get(labels), `stream ${labels} complete from partition 0`);
    const keysP0 = await keysUnder(store, 'tenant-b/chunks/');

    const all = await runFjord(['replay', '--partitions', 'all', '--from-time', String(Math.floor(Date.now() / 1000) - 3600), configFlag]);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(await chunkEntries(store, 'tenant-b', codecs), want, 'the chunks hold exactly the pushed entries');
    const keys = await keysUnder(store, 'tenant-b/chunks/');
    assert.ok(keysP0.every((k) => keys.includes(k)), 'partition 0 gave the same chunk keys again');
    assert.deepEqual([...(await indexedRefs(store)).keys()], keys, 'every chunk is indexed, and nothing else');

    const bundles = await keysUnder(store, 'index/');
    const again = await runFjord(['replay', '--partitions', 'all', '--from-offset', '0', configFlag]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await keysUnder(store, 'tenant-b/chunks/'), keys, 'a second replay adds no chunk key');
    assert.match(again.stdout, /^replay done: \d+ records, \d+ chunks written, 0 index bundles uploaded in /m);
    assert.deepEqual(await keysUnder(store, 'index/'), bundles, 'a second replay adds no index bundle');

    const none = await runFjord(['replay', '--partitions', '0', '--from-offset', '0', '--to-offset', '0', configFlag]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /^replay done: 0 records, 0 chunks written/m);
    const missing = await runFjord(['replay', '--partitions', '0,7', '--from-offset', '0', configFlag]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^fjord: invalid argument: topic \S+ has 2 partitions \(0-1\); there is no partition 7 \(see fjord replay -help\)$/m);
    oneLine(missing.stderr);
  });

  test(`${backend.name}: fjord offsets shows and resets a group's offsets and refuses while the group has members`, async (t) => {
    const zone = uniqueName('zone');
    const prefix = uniqueName('ops');
    const group = `${prefix}-ingester-${zone}`;
    const file = await backend.config(t, { target: 'distributor', ingester: { availability_zone: zone }, kafka_config: { consumer_group: prefix } });
    const configFlag = `-config.file=${await writeConfigFile(file)}`;
    const server = await startFjord(t, [configFlag]);
    await waitReady(server, 60_000);
    await pushStreams(server.url, 'tenant-c', someStreams(6, 5, Date.now()));
    assert.equal(await server.stop(), 0, server.output());

    const show = await runFjord(['offsets', 'show', '--group', group, configFlag]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`^group ${group} on topic \\S+: \\w+, 0 members$`, 'm'));
    assert.match(show.stdout, /^PARTITION {2}COMMITTED {2}START {2}END {2}LAG {2}OWNER$/m);
    assert.match(show.stdout, /^0 +- +0 +\d+ +\d+ +-$/m);
    const piped = await runFjordClosedStdout(['offsets', 'show', '--group', group, configFlag]);
    assert.deepEqual(piped, { code: 0, stderr: '' }, 'a reader that goes away early is no error');

    const latest = await runFjord(['offsets', 'reset', '--group', group, '--partitions', 'all', '--to-latest', configFlag]);
    assert.equal(latest.code, 0, latest.stderr);
    assert.match(latest.stdout, new RegExp(`^group ${group} on topic \\S+: set 2 partitions$`, 'm'));
    const dry = await runFjord(['offsets', 'reset', '--group', group, '--partitions', '0', '--to-offset', '1', '--dry-run', configFlag]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would set \(dry run\) 1 partition$/m);
    const past = await runFjord(['offsets', 'reset', '--group', group, '--partitions', '1', '--to-offset', '999999', configFlag]);
    assert.equal(past.code, 0, past.stderr);
    assert.match(past.stderr, /^offsets: partition 1: offset 999999 is past the partition end \d+; using \d+$/m);
    const earliest = await runFjord(['offsets', 'reset', '--group', group, '--partitions', '0', '--to-earliest', configFlag]);
    assert.equal(earliest.code, 0, earliest.stderr);

    if (backend.name === 'kafka+s3') {
      const log = await startedLog(t, built(file));
      const ends = new Map((await log.offsets()).map((o) => [o.partition, o.end]));
      assert.deepEqual(await log.committedOffsets(group), new Map([[0, 0], [1, ends.get(1) as number]]));
      const ingester = await startFjord(t, [configFlag, '-target=ingester']);
      await waitReady(ingester, 60_000);
      await waitUntil('the ingester in the group', async () => (await log.describeGroup(group)).members.length === 1, 60_000, 200);
      const refused = await runFjord(['offsets', 'reset', '--group', group, '--partitions', 'all', '--to-earliest', configFlag]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`^fjord: invalid argument: group ${group} has 1 active member \\(http://[^)]+\\); stop them before resetting its offsets \\(see fjord offsets reset -help\\)$`, 'm'));
      oneLine(refused.stderr);
      const owned = await runFjord(['offsets', 'show', '--group', group, configFlag]);
      assert.match(owned.stdout, /: \w+, 1 member$/m);
      assert.match(owned.stdout, /^0 +\d+ +0 +\d+ +\d+ +http:\/\//m);
      assert.equal(await ingester.stop(), 0);

      const compactor = await startFjord(t, [configFlag, '-target=compactor']);
      await waitReady(compactor, 60_000);
      const kafka = file.kafka_config as Record<string, unknown>;
      const topic = kafka.topic as string;
      const control = await startedLog(t, built({ ...file, kafka_config: { ...kafka, topic: `${topic}.control` } }));
      await waitUntil('the compactor in its group', async () => (await control.describeGroup(`${prefix}-compactor`)).members.length === 1, 60_000, 200);
      const leader = await runFjord(['offsets', 'show', '--group', `${prefix}-compactor`, configFlag]);
      assert.equal(leader.code, 0, leader.stderr);
      assert.match(leader.stdout, new RegExp(`^group ${prefix}-compactor on topic ${topic}\\.control: \\w+, 1 member$`, 'm'));
      assert.match(leader.stdout, /^0 +- +0 +0 +0 +http:\/\//m, 'partition 0 of the control topic, owned by the leader');
      assert.doesNotMatch(leader.stdout, /^1 /m, 'the control topic has one partition');
      assert.equal(await compactor.stop(), 0);
    } else {
      const after = await runFjord(['offsets', 'show', '--group', group, configFlag]);
      assert.match(after.stdout, /^0 +0 +0 +\d+ +\d+ +-$/m, after.stdout);
      const running = await startFjord(t, [configFlag, '-target=ingester']);
      await waitReady(running, 60_000);
      const locked = await runFjord(['offsets', 'show', '--group', group, configFlag]);
      assert.equal(locked.code, 1);
      assert.match(locked.stderr, /^fjord: embedded log \S+ is in use by process \d+; stop that fjord process first$/m);
      oneLine(locked.stderr);
      assert.equal(await running.stop(), 0);
    }
  });
}
