import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../../../schemas/index.js';
import { StreamChunk } from '../../../../consumers/ingester/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import { formatLabels, labelsFromObject } from '../../../../schemas/labels/index.js';
import {
  chunkRefOf, encodeIndexBundle, mergeIndexBundles, openIndexBundle, overlapFactor, parseChunkKey, type ChunkRef,
  type IndexMatcher, type SeriesEntry,
} from '../../../../schemas/index/index.js';
import { compileMatcher } from '../../../../query/logql/index.js';
import { noneCodec } from '../../../../platform/codecs/index.js';
import { seededRandom } from '../../../helpers/random.js';

const T = 1_714_564_800_000_000_000n;

function series(obj: Record<string, string>): SeriesEntry {
  const labels = labelsFromObject(obj);
  return { fingerprint: fnv1a64Hex(formatLabels(labels)), labels };
}
function ref(s: SeriesEntry, from: number, through: number, checksum = from, entries = 10): ChunkRef {
  return { fingerprint: s.fingerprint, fromNs: T + BigInt(from), throughNs: T + BigInt(through), checksum, compressedBytes: 100 + from, uncompressedBytes: 1000 + from, entries };
}

const apiProd = series({ app: 'api', env: 'prod' });
const apiDev = series({ app: 'api', env: 'dev' });
const webProd = series({ app: 'web', env: 'prod', team: 'x' });
const db = series({ app: 'db' });
const NAMES = new Map([[apiProd.fingerprint, 'apiProd'], [apiDev.fingerprint, 'apiDev'], [webProd.fingerprint, 'webProd'], [db.fingerprint, 'db']]);
const CHUNKS = [ref(apiProd, 0, 10), ref(apiProd, 20, 30), ref(apiDev, 5, 6), ref(webProd, 100, 200), ref(db, 40, 50)];
const bundleBytes = encodeIndexBundle({ period: 19844, tenant: 'team-a', series: [apiProd, apiDev, webProd, db], chunks: CHUNKS });
const bundle = openIndexBundle(bundleBytes);
const ALL: [bigint, bigint] = [0n, T * 2n];

const m = (name: string, type: IndexMatcher['type'], value: string): IndexMatcher => compileMatcher({ name, type, value });
const names = (list: SeriesEntry[]) => list.map((s) => NAMES.get(s.fingerprint)).sort();

const seriesCases: Array<{ name: string; matchers: IndexMatcher[]; range?: [bigint, bigint]; want: string[] }> = [
  { name: 'no matchers: every series', matchers: [], want: ['apiDev', 'apiProd', 'db', 'webProd'] },
  { name: 'equality uses postings', matchers: [m('app', '=', 'api')], want: ['apiDev', 'apiProd'] },
  { name: 'two equalities intersect', matchers: [m('app', '=', 'api'), m('env', '=', 'prod')], want: ['apiProd'] },
  { name: 'unknown value', matchers: [m('app', '=', 'nope')], want: [] },
  { name: 'unknown name', matchers: [m('nope', '=', 'x')], want: [] },
  { name: 'regex over the values', matchers: [m('app', '=~', 'a.*|w.*')], want: ['apiDev', 'apiProd', 'webProd'] },
  { name: 'negative equality includes series without the label', matchers: [m('env', '!=', 'prod')], want: ['apiDev', 'db'] },
  { name: 'negative regex', matchers: [m('app', '!~', 'api|web')], want: ['db'] },
  { name: 'label = "" means the label is missing', matchers: [m('team', '=', '')], want: ['apiDev', 'apiProd', 'db'] },
  { name: 'label != "" means the label is present', matchers: [m('team', '!=', '')], want: ['webProd'] },
  { name: 'regex matching empty also takes missing labels', matchers: [m('env', '=~', 'dev|')], want: ['apiDev', 'db'] },
  { name: 'positive and negative together', matchers: [m('app', '=~', '.+'), m('env', '!=', 'dev')], want: ['apiProd', 'db', 'webProd'] },
  { name: 'time range keeps series with a chunk in it', matchers: [m('app', '=~', '.+')], range: [T + 20n, T + 25n], want: ['apiProd'] },
  { name: 'range end is exclusive', matchers: [], range: [T + 50n, T + 100n], want: ['db'] },
];
for (const c of seriesCases) {
  test(`bundle series: ${c.name}`, () => {
    assert.deepEqual(names(c.range ? bundle.series(c.matchers, ...c.range) : bundle.series(c.matchers)), c.want);
  });
}

test('bundle series: labels come back whole and sorted', () => {
  assert.deepEqual(bundle.series([m('team', '=', 'x')]), [webProd]);
});

test('bundle chunkRefs: only the asked series, only chunks in range, with keys', () => {
  const refs = bundle.chunkRefs([apiProd.fingerprint, apiDev.fingerprint, 'ffffffffffffffff'], T + 8n, T + 21n);
  assert.deepEqual(refs.map(({ key: _k, ...r }) => r), [ref(apiProd, 0, 10), ref(apiProd, 20, 30)]);
  for (const r of refs) assert.deepEqual(parseChunkKey(r.key), { tenant: 'team-a', fingerprint: r.fingerprint, fromNs: r.fromNs, throughNs: r.throughNs, checksum: r.checksum });
});

const labelCases: Array<{ name: string; run: () => string[]; want: string[] }> = [
  { name: 'names over all time', run: () => bundle.labelNames(...ALL), want: ['app', 'env', 'team'] },
  { name: 'names in a range', run: () => bundle.labelNames(T + 40n, T + 51n), want: ['app'] },
  { name: 'names for matchers', run: () => bundle.labelNames(...ALL, [m('env', '=', 'prod')]), want: ['app', 'env', 'team'] },
  { name: 'values over all time', run: () => bundle.labelValues('app', ...ALL), want: ['api', 'db', 'web'] },
  { name: 'values for matchers', run: () => bundle.labelValues('app', ...ALL, [m('env', '=', 'prod')]), want: ['api', 'web'] },
  { name: 'values in a range', run: () => bundle.labelValues('app', T + 100n, T + 101n), want: ['web'] },
  { name: 'values of an unknown name', run: () => bundle.labelValues('nope', ...ALL), want: [] },
];
for (const c of labelCases) test(`bundle labels: ${c.name}`, () => assert.deepEqual(c.run(), c.want));

const statCases = [
  { name: 'everything', matchers: [], range: ALL, want: { streams: 4, chunks: 5, entries: 50, bytes: 5000 + 0 + 20 + 5 + 100 + 40 } },
  { name: 'one app', matchers: [m('app', '=', 'api')], range: ALL, want: { streams: 2, chunks: 3, entries: 30, bytes: 3000 + 0 + 20 + 5 } },
  { name: 'a chunk partly in range is prorated', matchers: [m('app', '=', 'api')], range: [T + 25n, T + 26n] as [bigint, bigint], want: { streams: 1, chunks: 1, entries: 1, bytes: 102 } },
  { name: 'a chunk ending at the range end counts whole', matchers: [m('env', '=', 'dev')], range: [T + 5n, T + 6n] as [bigint, bigint], want: { streams: 1, chunks: 1, entries: 10, bytes: 1005 } },
  { name: 'nothing', matchers: [m('app', '=', 'nope')], range: ALL, want: { streams: 0, chunks: 0, entries: 0, bytes: 0 } },
];
for (const c of statCases) test(`bundle stats: ${c.name}`, () => assert.deepEqual(bundle.stats(c.matchers, ...c.range), c.want));

test('bundle volumes: per series totals', () => {
  const v = bundle.volumes([m('app', '=', 'api')], ...ALL);
  assert.deepEqual(v.map((x) => [NAMES.get(x.fingerprint), x.chunks, x.entries, x.bytes]).sort(), [['apiDev', 1, 10, 1005], ['apiProd', 2, 20, 2020]]);
});

test('bundle: counts, period and tenant', () => {
  assert.equal(bundle.period, 19844);
  assert.equal(bundle.tenant, 'team-a');
  assert.equal(bundle.seriesCount, 4);
  assert.equal(bundle.chunkCount, 5);
});

test('bundle encoding: the same content in any order gives the same bytes; duplicate refs dropped', () => {
  const rand = seededRandom(3);
  const shuffle = <X>(xs: X[]): X[] => xs.map((x) => ({ x, k: rand() })).sort((a, b) => a.k - b.k).map((p) => p.x);
  const again = encodeIndexBundle({ period: 19844, tenant: 'team-a', series: shuffle([db, apiProd, webProd, apiDev, apiProd]), chunks: shuffle([...CHUNKS, CHUNKS[0] as ChunkRef]) });
  assert.deepEqual(again, bundleBytes);
});

test('bundle encoding: an empty bundle round trips', () => {
  const empty = openIndexBundle(encodeIndexBundle({ period: 1, tenant: 't', series: [], chunks: [] }));
  assert.equal(empty.seriesCount, 0);
  assert.deepEqual(empty.series([]), []);
  assert.deepEqual(empty.labelNames(...ALL), []);
});

const badInputs = [
  { name: 'fingerprint not of its labels', series: [{ ...apiProd, fingerprint: '0000000000000000' }], chunks: [] },
  { name: 'labels not sorted', series: [{ fingerprint: fnv1a64Hex('{b="1", a="2"}'), labels: [{ name: 'b', value: '1' }, { name: 'a', value: '2' }] }], chunks: [] },
  { name: 'ref of an unknown series', series: [apiProd], chunks: [ref(db, 0, 1)] },
  { name: 'ref ending before it starts', series: [apiProd], chunks: [ref(apiProd, 5, 1)] },
];
for (const c of badInputs) {
  test(`bundle encoding: ${c.name} is invalid_argument`, () => {
    assert.throws(() => encodeIndexBundle({ period: 1, tenant: 't', series: c.series, chunks: c.chunks }), (err: unknown) => isFjordError(err, 'invalid_argument'));
  });
}

test('bundle merge: union of series, duplicate refs dropped, order of inputs irrelevant', () => {
  const a = encodeIndexBundle({ period: 19844, tenant: 'team-a', series: [apiProd, apiDev], chunks: [ref(apiProd, 0, 10), ref(apiDev, 5, 6)] });
  const b = encodeIndexBundle({ period: 19844, tenant: 'team-a', series: [apiProd, webProd, db], chunks: [ref(apiProd, 0, 10), ref(apiProd, 20, 30), ref(webProd, 100, 200), ref(db, 40, 50)] });
  const merged = mergeIndexBundles([a, b]);
  assert.deepEqual(merged, bundleBytes);
  assert.deepEqual(mergeIndexBundles([b, a]), merged);
  assert.deepEqual(mergeIndexBundles([merged, merged]), merged);
});

test('bundle merge: a ref with another checksum for the same range is kept', () => {
  const a = encodeIndexBundle({ period: 1, tenant: 't', series: [apiProd], chunks: [ref(apiProd, 0, 10, 1)] });
  const b = encodeIndexBundle({ period: 1, tenant: 't', series: [apiProd], chunks: [ref(apiProd, 0, 10, 2)] });
  assert.equal(openIndexBundle(mergeIndexBundles([a, b])).chunkCount, 2);
});

const badMerges = [
  { name: 'nothing to merge', bundles: [] as Uint8Array[] },
  { name: 'two tenants', bundles: [bundleBytes, encodeIndexBundle({ period: 19844, tenant: 'team-b', series: [], chunks: [] })] },
  { name: 'two periods', bundles: [bundleBytes, encodeIndexBundle({ period: 19845, tenant: 'team-a', series: [], chunks: [] })] },
];
for (const c of badMerges) test(`bundle merge: ${c.name} is invalid_argument`, () => assert.throws(() => mergeIndexBundles(c.bundles), (err: unknown) => isFjordError(err, 'invalid_argument')));

test('bundle corruption: every single-bit flip is index_corrupt', () => {
  for (let pos = 0; pos < bundleBytes.length; pos++) {
    const bad = bundleBytes.slice();
    bad[pos] = (bad[pos] as number) ^ 0x10;
    assert.throws(() => openIndexBundle(bad), (err: unknown) => isFjordError(err, 'index_corrupt') && /^index bundle: /.test(err.message), `byte ${pos}`);
  }
});

test('bundle corruption: truncation at every byte is index_corrupt', () => {
  for (let len = 0; len < bundleBytes.length; len++) {
    assert.throws(() => openIndexBundle(bundleBytes.subarray(0, len)), (err: unknown) => isFjordError(err, 'index_corrupt'), `length ${len}`);
  }
});

const factors = [
  { name: 'whole chunk inside', chunk: [10n, 20n], range: [0n, 100n], want: 1 },
  { name: 'outside', chunk: [10n, 20n], range: [21n, 100n], want: 0 },
  { name: 'first half', chunk: [10n, 20n], range: [0n, 15n], want: 0.5 },
  { name: 'last quarter', chunk: [0n, 100n], range: [75n, 200n], want: 0.25 },
  { name: 'a single instant', chunk: [10n, 10n], range: [10n, 11n], want: 1 },
];
for (const c of factors) {
  test(`overlapFactor: ${c.name}`, () => assert.equal(overlapFactor(c.chunk[0] as bigint, c.chunk[1] as bigint, c.range[0] as bigint, c.range[1] as bigint), c.want));
}

test('chunkRefOf: a cut chunk indexes under the key it was cut with', () => {
  const labels = formatLabels(apiProd.labels);
  const sc = new StreamChunk({ tenant: 'team-a', labels, fingerprint: apiProd.fingerprint, codec: noneCodec(), blockSizeBytes: 1 << 18 });
  sc.append({ tsNs: T + 3n, line: new TextEncoder().encode('hello'), structuredMetadata: [] }, 0);
  sc.append({ tsNs: T + 1n, line: new TextEncoder().encode('world'), structuredMetadata: [] }, 1);
  const cut = sc.cut();
  const r = chunkRefOf(cut.header, cut.checksum, cut.bytes.length);
  assert.deepEqual({ ...r }, { fingerprint: apiProd.fingerprint, fromNs: T + 1n, throughNs: T + 3n, checksum: cut.checksum, compressedBytes: cut.bytes.length, uncompressedBytes: cut.header.uncompressedBytes, entries: 2 });
  const b = openIndexBundle(encodeIndexBundle({ period: 19844, tenant: 'team-a', series: [apiProd], chunks: [r] }));
  assert.deepEqual(b.chunkRefs([apiProd.fingerprint], ...ALL).map((x) => x.key), [cut.key]);
});
