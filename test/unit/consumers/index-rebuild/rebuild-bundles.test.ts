import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkFromHead, chunkOverlaps, rebuildBundleId, tablesOf, type RebuiltChunk } from '../../../../consumers/index-rebuild/rebuild-bundles.js';
import { noneCodec } from '../../../../platform/codecs/index.js';
import { isFjordError } from '../../../../schemas/index.js';
import { StreamChunk, type CutChunk } from '../../../../consumers/ingester/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import { formatLabels, labelsFromObject } from '../../../../schemas/labels/index.js';
import { INDEX_PERIOD_NS, chunkKey, parseChunkKey } from '../../../../schemas/index/index.js';
import { refOf, seriesOf } from '../../../helpers/index-bundles.js';

function chunkOf(tenant: string, labels: Record<string, string>, ts: readonly bigint[]): CutChunk {
  const text = formatLabels(labelsFromObject(labels));
  const c = new StreamChunk({ tenant, labels: text, fingerprint: fnv1a64Hex(text), codec: noneCodec(), blockSizeBytes: 64 });
  for (const t of ts) c.append({ tsNs: t, line: Buffer.from(`line at ${t}`), structuredMetadata: [] }, 0);
  return c.cut();
}

test('chunkFromHead: the ref an ingester writes, from the head of the object alone', () => {
  const chunk = chunkOf('t', { app: 'api', env: 'prod' }, [100n, 200n, 300n, 400n, 500n]);
  const parts = parseChunkKey(chunk.key);
  const headLength = chunk.header.headerBytes + chunk.header.tableBytes;
  const got = chunkFromHead(chunk.key, parts, chunk.bytes.length, chunk.bytes.subarray(0, headLength));
  assert.equal(got.tenant, 't');
  assert.deepEqual(got.series, { fingerprint: chunk.header.fingerprint, labels: labelsFromObject({ app: 'api', env: 'prod' }) });
  assert.deepEqual(got.ref, {
    fingerprint: chunk.header.fingerprint, fromNs: 100n, throughNs: 500n, checksum: chunk.checksum,
    compressedBytes: chunk.bytes.length, uncompressedBytes: chunk.header.uncompressedBytes, entries: 5,
  });
});

test('chunkFromHead: a head that disagrees with its key, or is cut short, is chunk_corrupt', () => {
  const chunk = chunkOf('t', { app: 'api' }, [100n, 200n]);
  const parts = parseChunkKey(chunk.key);
  const other = [
    { name: 'another tenant', parts: { ...parts, tenant: 'u' }, head: chunk.bytes, want: /header names tenant t/ },
    { name: 'another time range', parts: { ...parts, throughNs: 999n }, head: chunk.bytes, want: /time range/ },
    { name: 'another checksum', parts: { ...parts, checksum: (parts.checksum + 1) >>> 0 }, head: chunk.bytes, want: /content checksum/ },
    { name: 'a truncated head', parts, head: chunk.bytes.subarray(0, 20), want: /truncated/ },
  ];
  for (const c of other) {
    assert.throws(() => chunkFromHead(chunk.key, c.parts, chunk.bytes.length, c.head), (e) => isFjordError(e, 'chunk_corrupt') && c.want.test(e.message), c.name);
  }
});

const overlapCases = [
  { name: 'inside', from: 110n, through: 120n, want: true },
  { name: 'touching the start', from: 0n, through: 100n, want: true },
  { name: 'touching the end', from: 200n, through: 300n, want: true },
  { name: 'before', from: 0n, through: 99n, want: false },
  { name: 'after', from: 201n, through: 300n, want: false },
  { name: 'around', from: 0n, through: 1000n, want: true },
];
for (const c of overlapCases) {
  test(`chunkOverlaps [100, 200]: ${c.name}`, () => {
    const parts = { tenant: 't', fingerprint: '0123456789abcdef', fromNs: c.from, throughNs: c.through, checksum: 1 };
    assert.equal(chunkOverlaps(parts, 100n, 200n), c.want);
  });
}

const a = seriesOf({ app: 'a' });
const b = seriesOf({ app: 'b' });
const P = 20_000n;
const day = (p: bigint) => p * INDEX_PERIOD_NS;
const rc = (tenant: string, s: typeof a, from: bigint, through: bigint, sum: number): RebuiltChunk => ({ tenant, series: s, ref: refOf(s, from, through, sum) });

test('tablesOf: one table per period and tenant; a chunk over midnight is in both periods', () => {
  const chunks = [
    rc('t', a, day(P) + 5n, day(P) + 10n, 1),
    rc('t', b, day(P + 1n) - 5n, day(P + 1n) + 5n, 2),
    rc('u', a, day(P) + 1n, day(P) + 2n, 3),
  ];
  const got = tablesOf(chunks).map((t) => ({ period: t.period, tenant: t.tenant, refs: t.chunks.map((c) => c.checksum), series: t.series.length }));
  assert.deepEqual(got, [
    { period: Number(P), tenant: 't', refs: [1, 2], series: 2 },
    { period: Number(P), tenant: 'u', refs: [3], series: 1 },
    { period: Number(P) + 1, tenant: 't', refs: [2], series: 1 },
  ]);
});

test('rebuildBundleId: depends on the set of chunk keys only', () => {
  const [t1] = tablesOf([rc('t', a, day(P) + 5n, day(P) + 10n, 1), rc('t', b, day(P) + 6n, day(P) + 7n, 2)]);
  const [t2] = tablesOf([rc('t', b, day(P) + 6n, day(P) + 7n, 2), rc('t', a, day(P) + 5n, day(P) + 10n, 1), rc('t', a, day(P) + 5n, day(P) + 10n, 1)]);
  const [t3] = tablesOf([rc('t', a, day(P) + 5n, day(P) + 10n, 1)]);
  assert.ok(t1 && t2 && t3);
  assert.match(rebuildBundleId(t1), /^rebuild-[0-9a-f]{16}$/);
  assert.equal(rebuildBundleId(t1), rebuildBundleId(t2));
  assert.notEqual(rebuildBundleId(t1), rebuildBundleId(t3));
  assert.equal(chunkKey({ tenant: 't', ...refOf(a, 1n, 2n, 3) }).startsWith('t/chunks/'), true);
});
