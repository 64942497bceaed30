/**
 * The compactor against both backend pairs: merging a table keeps every ref, a querier's index
 * cache that listed just before the swap still finds every ref, retention drops refs at once and
 * chunk objects after the delay, and of two compactors in one group only the leader compacts.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Registry } from 'prom-client';
import {
  Compactor, GroupLeadership, compactorMetrics, controlLogConfig, type CompactorMetrics, type Leadership,
} from '../../consumers/index.js';
import { TenantLimits, type FjordConfig } from '../../schemas/config/index.js';
import { chunkKey, indexBundleKey, indexBundlePrefix, indexPeriod } from '../../schemas/index/index.js';
import { DeleteRequestReader, listAll, loadCodecs, silentLogger, type ObjectStore } from '../../platform/index.js';
import { compileLogSelector } from '../../query/logql/index.js';
import { IndexBundleCache } from '../../query/querier/index-cache.js';
import { emptyStats } from '../../query/engine/query-backend.js';
import { BACKENDS, built, startedLog, startedStore, writeConfigFile } from '../helpers/backends.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';
import { tempDir, uniqueName, waitUntil } from '../helpers/env.js';
import { bundleOf, chunkKeysOf, periodStart, refOf, seriesOf } from '../helpers/index-bundles.js';

const DAY_MS = 86_400_000;
const HOUR_NS = 3_600_000_000_000n;

/** Leadership that is always held, for driving rounds by hand. */
const alwaysLeader: Leadership = { start: async () => undefined, stop: async () => undefined, isLeader: () => true };

const codecs = await loadCodecs();

function compactorFor(cfg: FjordConfig, store: ObjectStore, leadership: Leadership = alwaysLeader, metrics: CompactorMetrics = compactorMetrics(new Registry())): Compactor {
  return new Compactor({
    cfg: cfg.compactor, limits: new TenantLimits(cfg.limits_config), store, leadership, metrics, logger: silentLogger(),
    compileSelector: compileLogSelector, deleteRequests: new DeleteRequestReader(store), codecs,
  });
}

async function bundleKeys(store: ObjectStore, period: number, tenant: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of listAll(store, indexBundlePrefix(period, tenant))) out.push(o.key);
  return out.sort();
}

async function exists(store: ObjectStore, key: string): Promise<boolean> {
  return (await store.head(key)) !== null;
}

/** What a querier sees: the chunk keys of every bundle its index cache returns for (tenant, period). */
async function readerKeys(cache: IndexBundleCache, tenant: string, period: number): Promise<string[]> {
  const keys = new Set<string>();
  const current = indexPeriod(BigInt(Date.now()) * 1_000_000n);
  for (const b of await cache.bundles(tenant, period, current, emptyStats())) {
    for (const c of b.toInput().chunks) keys.add(chunkKey({ tenant, ...c }));
  }
  return [...keys].sort();
}

async function indexCache(t: TestContext, store: ObjectStore): Promise<IndexBundleCache> {
  const cache = new IndexBundleCache(store, { directory: await tempDir(t), maxBytes: 1 << 30, resyncMs: 300_000, recentPeriods: 100 }, silentLogger());
  await cache.start();
  return cache;
}

/** A store whose first listing under `index/` waits for `hook` before it answers (a querier that listed just before the swap). */
function pausingStore(inner: ObjectStore): { store: ObjectStore; arm(hook: () => Promise<void>): void } {
  let hook: (() => Promise<void>) | null = null;
  const store: ObjectStore = {
    kind: inner.kind,
    start: (s) => inner.start(s),
    stop: () => inner.stop(),
    put: (k, b, s) => inner.put(k, b, s),
    putIfAbsent: (k, b, s) => inner.putIfAbsent(k, b, s),
    get: (k, s) => inner.get(k, s),
    getRange: (k, o, l, s) => inner.getRange(k, o, l, s),
    head: (k, s) => inner.head(k, s),
    delete: (k, s) => inner.delete(k, s),
    async listPage(prefix, options, signal) {
      const page = await inner.listPage(prefix, options, signal);
      const h = hook;
      if (h && prefix.startsWith('index/')) {
        hook = null;
        await h();
      }
      return page;
    },
  };
  return { store, arm: (h) => (hook = h) };
}

const current = () => indexPeriod(BigInt(Date.now()) * 1_000_000n);
const app = seriesOf({ app: 'api', env: 'prod' });
const web = seriesOf({ app: 'web' });

/** Four overlapping bundles of one past table, and the chunk keys they refer to. */
async function writeTable(store: ObjectStore, period: number, tenant: string): Promise<string[]> {
  const base = periodStart(period);
  const refs = Array.from({ length: 6 }, (_, i) => refOf(i % 2 === 0 ? app : web, base + BigInt(i) * HOUR_NS, base + BigInt(i) * HOUR_NS + 1000n, 100 + i));
  const sets = [[0, 1], [1, 2, 3], [3, 4], [0, 5]];
  for (const [i, set] of sets.entries()) {
    const chosen = set.map((k) => refs[k] as (typeof refs)[number]);
    await store.put(indexBundleKey({ period, tenant, bundleId: `ingester-a-${i}` }), bundleOf(period, tenant, [app, web], chosen));
  }
  return refs.map((r) => chunkKey({ tenant, ...r })).sort();
}

for (const backend of BACKENDS) {
  test(`${backend.name}: the compactor merges a table's bundles into one with the same refs`, async (t) => {
    const cfg = built(await backend.config(t, { compactor: { min_bundle_age: '0s' } }));
    const store = await startedStore(t, cfg);
    const P = current() - 3;
    const want = await writeTable(store, P, 't');
    await store.put(indexBundleKey({ period: P, tenant: 'u', bundleId: 'only' }), bundleOf(P, 'u', [app], [refOf(app, periodStart(P), periodStart(P) + 5n, 7)]));
    const before = await readerKeys(await indexCache(t, store), 't', P);
    assert.deepEqual(before, want);
    assert.equal((await bundleKeys(store, P, 't')).length, 4);

    const report = await compactorFor(cfg, store).runOnce();
    assert.equal(report.bundlesReplaced, 4);
    assert.equal(report.bundlesWritten, 1);
    assert.equal(report.refsDroppedDuplicate, 3);
    const after = await bundleKeys(store, P, 't');
    assert.equal(after.length, 1);
    assert.match(after[0] as string, new RegExp(`^index/${P}/t/compacted-\\d+-[0-9a-f]{16}$`));
    assert.deepEqual(chunkKeysOf(await store.get(after[0] as string)), want, 'the merged bundle holds every ref');
    assert.deepEqual(await readerKeys(await indexCache(t, store), 't', P), want, 'a fresh querier sees the same refs');
    assert.deepEqual((await bundleKeys(store, P, 'u')).map((k) => k.split('/').pop()), ['only'], 'a table of one bundle is left alone');

    const again = await compactorFor(cfg, store).runOnce();
    assert.equal(again.bundlesReplaced, 0, 'a second round has nothing to do');
  });

  test(`${backend.name}: a querier that listed just before the swap still finds every ref`, async (t) => {
    const cfg = built(await backend.config(t, { compactor: { min_bundle_age: '0s' } }));
    const inner = await startedStore(t, cfg);
    const P = current() - 2;
    const want = await writeTable(inner, P, 't');
    const compactor = compactorFor(cfg, inner);

    // Not cached yet: the listing names the inputs, they are gone when fetched, the querier lists again.
    const cold = pausingStore(inner);
    const coldCache = await indexCache(t, cold.store);
    let swapped = false;
    cold.arm(async () => {
      await compactor.runOnce();
      swapped = true;
    });
    assert.deepEqual(await readerKeys(coldCache, 't', P), want);
    assert.ok(swapped, 'the swap happened between the listing and the fetches');

    // Cached: the inputs come from the querier's cache after they left the store.
    await writeTable(inner, P, 't');
    const warm = pausingStore(inner);
    const warmCache = await indexCache(t, warm.store);
    assert.deepEqual(await readerKeys(warmCache, 't', P), want, 'warm-up');
    warm.arm(async () => void (await compactor.runOnce()));
    assert.deepEqual(await readerKeys(warmCache, 't', P), want);
    assert.equal((await bundleKeys(inner, P, 't')).length, 1);
    assert.deepEqual(await readerKeys(warmCache, 't', P), want, 'and after listing the replacement');
  });

  test(`${backend.name}: retention drops refs at once and chunk objects after the delay`, async (t) => {
    const cfg = built(await backend.config(t, {
      limits_config: { retention_period: '720h' },
      compactor: { retention_enabled: true, retention_delete_delay: '1h', min_bundle_age: '0s' },
    }));
    const store = await startedStore(t, cfg);
    const nowMs = Date.now();
    const cutoffNs = BigInt(nowMs - 30 * DAY_MS) * 1_000_000n;
    const pOld = indexPeriod(cutoffNs) - 5;
    const pCut = indexPeriod(cutoffNs);
    const pNew = current() - 1;
    const old1 = refOf(app, periodStart(pOld), periodStart(pOld) + 10n, 1);
    const old2 = refOf(web, periodStart(pOld) + HOUR_NS, periodStart(pOld) + HOUR_NS + 10n, 2);
    const cutOld = refOf(app, cutoffNs - 2n * HOUR_NS, cutoffNs - HOUR_NS, 3);
    const cutNew = refOf(web, cutoffNs - HOUR_NS, cutoffNs + 3n * HOUR_NS, 4);
    const fresh = refOf(app, periodStart(pNew), periodStart(pNew) + 10n, 5);
    const key = (r: typeof old1) => chunkKey({ tenant: 't', ...r });
    for (const r of [old1, old2, cutOld, cutNew, fresh]) await store.put(key(r), new Uint8Array([1, 2, 3]));
    await store.put(indexBundleKey({ period: pOld, tenant: 't', bundleId: 'a' }), bundleOf(pOld, 't', [app, web], [old1]));
    await store.put(indexBundleKey({ period: pOld, tenant: 't', bundleId: 'b' }), bundleOf(pOld, 't', [app, web], [old2]));
    if (pCut !== pOld) await store.put(indexBundleKey({ period: pCut, tenant: 't', bundleId: 'a' }), bundleOf(pCut, 't', [app, web], [cutOld, cutNew]));
    await store.put(indexBundleKey({ period: pNew, tenant: 't', bundleId: 'a' }), bundleOf(pNew, 't', [app], [fresh]));

    const compactor = compactorFor(cfg, store);
    const first = await compactor.runOnce(nowMs);
    assert.equal(first.refsDroppedRetention, 3);
    assert.equal(first.chunksMarked, 3);
    assert.deepEqual(await bundleKeys(store, pOld, 't'), [], 'a period entirely past retention loses its bundles');
    const cutBundles = await bundleKeys(store, pCut, 't');
    assert.equal(cutBundles.length, 1);
    assert.deepEqual(chunkKeysOf(await store.get(cutBundles[0] as string)), [key(cutNew)], 'only the ref ending after the cutoff stays');
    assert.deepEqual(await bundleKeys(store, pNew, 't'), [indexBundleKey({ period: pNew, tenant: 't', bundleId: 'a' })], 'newer tables untouched');
    for (const r of [old1, old2, cutOld]) assert.ok(await exists(store, key(r)), 'marked chunks stay until the delay passes');

    const early = await compactor.runOnce(nowMs + 30 * 60_000);
    assert.equal(early.chunksDeleted, 0);
    assert.equal(early.bundlesReplaced, 0, 'nothing left to rewrite');
    for (const r of [old1, old2, cutOld]) assert.ok(await exists(store, key(r)));

    const late = await compactor.runOnce(nowMs + 60 * 60_000 + 1);
    assert.equal(late.chunksDeleted, 3);
    assert.equal(late.marksSwept, 2, 'one mark per rewritten table');
    for (const r of [old1, old2, cutOld]) assert.equal(await exists(store, key(r)), false, `${key(r)} deleted`);
    for (const r of [cutNew, fresh]) assert.ok(await exists(store, key(r)), `${key(r)} kept`);
    const marks = [];
    for await (const o of listAll(store, 'compactor/')) marks.push(o.key);
    assert.deepEqual(marks, [], 'the swept marks are gone');
  });

  test(`${backend.name}: retention_stream rules expire a stream's chunks by its own period`, async (t) => {
    // The tenant keeps data 720h; streams of {env="prod"} only 48h.
    const cfg = built(await backend.config(t, {
      limits_config: { retention_period: '720h', retention_stream: [{ selector: '{env="prod"}', priority: 1, period: '48h' }] },
      compactor: { retention_enabled: true, min_bundle_age: '0s' },
    }));
    const store = await startedStore(t, cfg);
    const nowMs = Date.now();
    const P = indexPeriod(BigInt(nowMs - 5 * DAY_MS) * 1_000_000n);
    const oldApp = refOf(app, periodStart(P), periodStart(P) + 10n, 1);
    const oldWeb = refOf(web, periodStart(P), periodStart(P) + 10n, 2);
    await store.put(indexBundleKey({ period: P, tenant: 't', bundleId: 'a' }), bundleOf(P, 't', [app, web], [oldApp, oldWeb]));
    const round = await compactorFor(cfg, store).runOnce(nowMs);
    assert.equal(round.refsDroppedRetention, 1);
    const left = await bundleKeys(store, P, 't');
    assert.deepEqual(chunkKeysOf(await store.get(left[0] as string)), [chunkKey({ tenant: 't', ...oldWeb })], 'the web stream keeps its five-day-old chunk');
  });

  test(`${backend.name}: of two compactors in one group only the leader compacts; the other takes over when it leaves`, async (t) => {
    const cfg = built(await backend.config(t, { compactor: { compaction_interval: '1s', min_bundle_age: '0s' } }));
    const store = await startedStore(t, cfg);
    const control = await startedLog(t, controlLogConfig(cfg));
    const group = uniqueName('fjord-compactor');
    const metrics = [compactorMetrics(new Registry()), compactorMetrics(new Registry())] as const;
    const compactors = metrics.map((m, i) => compactorFor(cfg, store, new GroupLeadership(control, group, `compactor-${i}`, silentLogger()), m));
    const [c0, c1] = compactors as [Compactor, Compactor];
    let overlap = 0;
    const watch = setInterval(() => void (c0.isLeader() && c1.isLeader() && overlap++), 20);
    t.after(async () => {
      clearInterval(watch);
      for (const c of compactors) await c.stop();
    });
    const runs = async (m: CompactorMetrics) => (await m.compactRuns.get()).values.reduce((n, v) => n + v.value, 0);

    await c0.start();
    await c1.start();
    await waitUntil('both members assigned and one leader', async () => {
      const d = await control.describeGroup(group);
      return d.members.length === 2 && d.members.some((m) => m.partitions.includes(0)) && c0.isLeader() !== c1.isLeader();
    }, 60_000, 100);
    const [leader, follower, leaderMetrics, followerMetrics] = c0.isLeader() ? [c0, c1, metrics[0], metrics[1]] : [c1, c0, metrics[1], metrics[0]];

    const P = current() - 3;
    const followerRunsBefore = await runs(followerMetrics);
    await writeTable(store, P, 't');
    await waitUntil('the table merged', async () => (await bundleKeys(store, P, 't')).length === 1, 30_000, 100);
    assert.ok((await runs(leaderMetrics)) > 0, 'the leader compacted');
    assert.equal(await runs(followerMetrics), followerRunsBefore, 'the follower did not');
    assert.equal((await leaderMetrics.running.get()).values[0]?.value, 1);
    assert.equal((await followerMetrics.running.get()).values[0]?.value, 0);

    await leader.stop();
    await waitUntil('the other compactor to lead', () => follower.isLeader(), 60_000, 100);
    const P2 = current() - 4;
    await writeTable(store, P2, 't');
    await waitUntil('the second table merged', async () => (await bundleKeys(store, P2, 't')).length === 1, 30_000, 100);
    assert.ok((await runs(followerMetrics)) > 0, 'the new leader compacted');
    assert.equal(overlap, 0, 'never two leaders at once (as observed every 20 ms)');
  });

  test(`${backend.name}: fjord -target=compactor leads, compacts on its interval and reports it in /metrics`, async (t) => {
    const file = await backend.config(t, { target: 'compactor', compactor: { compaction_interval: '1s', min_bundle_age: '0s' } });
    const cfg = built(file);
    const store = await startedStore(t, cfg);
    const P = current() - 5;
    const want = await writeTable(store, P, 't');
    const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`]);
    await waitReady(f, 60_000);
    await waitUntil('the table merged by the compactor process', async () => (await bundleKeys(store, P, 't')).length === 1, 60_000, 200);
    const merged = await bundleKeys(store, P, 't');
    assert.deepEqual(chunkKeysOf(await store.get(merged[0] as string)), want);
    const metrics = await (await fetch(`${f.url}/metrics`)).text();
    assert.match(metrics, /^loki_boltdb_shipper_compactor_running 1$/m);
    assert.match(metrics, /^loki_boltdb_shipper_compact_tables_operation_total\{status="success"\} [1-9]\d*$/m);
    assert.match(metrics, /^fjord_compactor_index_bundles_replaced_total 4$/m);
    const services = await (await fetch(`${f.url}/services`)).text();
    assert.match(services, /^compactor => Running$/m);
    assert.equal(await f.stop(), 0, f.output());
    assert.match(f.output(), /"msg":"this compactor is now the leader"/);
  });
}
