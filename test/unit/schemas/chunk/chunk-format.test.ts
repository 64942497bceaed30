import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError, type Codec } from '../../../../schemas/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import {
  CHUNK_FOOTER_BYTES, CHUNK_PREAMBLE_BYTES, blockBytes, blockSourceFromEntries, chunkBlocksOverlapping, chunkLength,
  chunkPrefixBytes, decodeBlock, decodeChunk, decodeChunkFooter, decodeChunkHeader, encodeBlock, encodeChunk,
  mergeBlockEntries, readBlockTable, type BlockRef, type ChunkMeta,
} from '../../../../schemas/chunk/index.js';
import type { PushEntry } from '../../../../schemas/record/index.js';
import { loadCodecs } from '../../../../platform/codecs/index.js';
import { entry, plain, sortedByTs } from '../../../helpers/chunk-entries.js';

const codecs = await loadCodecs();
const T = 1_714_564_800_000_000_000n;
const LABELS = '{app="api", env="prod"}';
const META: Omit<ChunkMeta, 'encoding'> = { tenant: 'team-a', labels: LABELS, fingerprint: fnv1a64Hex(LABELS) };

/** Three blocks: the second starts before the first ends (out-of-order arrival). */
const GROUPS: PushEntry[][] = [
  [entry(T + 100n, 'a1'), entry(T + 200n, 'a2', { trace: 't1' }), entry(T + 300n, 'a3')],
  [entry(T + 250n, 'b1'), entry(T + 400n, 'b2')],
  [entry(T + 1000n, 'c1'), entry(T + 1001n, 'c2'), entry(T + 1002n, 'c3')],
];

function build(codec: Codec, groups: PushEntry[][] = GROUPS, meta = META) {
  return encodeChunk({ ...meta, encoding: codec.encoding }, groups.map((g) => encodeBlock(blockSourceFromEntries(g), codec)));
}

test('chunk: header fields come from the meta and the blocks', () => {
  const c = build(codecs.zstd);
  const h = decodeChunkHeader(c.bytes);
  assert.deepEqual(h, c.header);
  assert.equal(h.tenant, 'team-a');
  assert.equal(h.labels, LABELS);
  assert.equal(h.fingerprint, fnv1a64Hex(LABELS));
  assert.equal(h.encoding, 'zstd');
  assert.equal(h.version, 1);
  assert.equal(h.fromNs, T + 100n);
  assert.equal(h.throughNs, T + 1002n);
  assert.equal(h.entries, 8);
  assert.equal(h.blockCount, 3);
  assert.equal(h.uncompressedBytes, c.table.reduce((s, b) => s + b.uncompressedBytes, 0));
});

test('chunk: footer, prefix length and total length agree', () => {
  const c = build(codecs.gzip);
  assert.deepEqual(decodeChunkFooter(c.bytes.subarray(c.bytes.length - CHUNK_FOOTER_BYTES)), { headerBytes: c.header.headerBytes, tableBytes: c.header.tableBytes });
  assert.equal(chunkPrefixBytes(c.bytes.subarray(0, CHUNK_PREAMBLE_BYTES)), c.header.headerBytes + c.header.tableBytes);
  assert.equal(chunkLength(c.header, c.table), c.bytes.length);
});

test('chunk: table rows describe contiguous blocks after the table', () => {
  const c = build(codecs.snappy);
  let at = c.header.headerBytes + c.header.tableBytes;
  for (const [i, b] of c.table.entries()) {
    assert.equal(b.offset, at);
    assert.equal(b.entries, (GROUPS[i] as PushEntry[]).length);
    at += b.compressedBytes;
  }
  assert.deepEqual(c.table.map((b) => [b.minTsNs - T, b.maxTsNs - T]), [[100n, 300n], [250n, 400n], [1000n, 1002n]]);
});

test('chunk: a ranged reader needs the prefix and the blocks it selects, nothing else', () => {
  const c = build(codecs.zstd);
  const prefixLen = chunkPrefixBytes(c.bytes.subarray(0, CHUNK_PREAMBLE_BYTES));
  const prefix = c.bytes.slice(0, prefixLen);
  const header = decodeChunkHeader(prefix);
  const table = readBlockTable(prefix, header);
  const picked = chunkBlocksOverlapping(table, T + 260n, T + 1001n);
  assert.deepEqual(picked.map((b) => table.indexOf(b)), [0, 1, 2]);
  const late = chunkBlocksOverlapping(table, T + 401n, T + 2000n);
  assert.deepEqual(late.map((b) => table.indexOf(b)), [2]);
  // Fetch only that block's byte range.
  const ref = late[0] as BlockRef;
  const ranged = c.bytes.slice(ref.offset, ref.offset + ref.compressedBytes);
  const block = decodeBlock(ranged, codecs[header.encoding], ref);
  assert.deepEqual([...block.tsNs], [T + 1000n, T + 1001n, T + 1002n]);
});

const overlap: Array<{ name: string; start: bigint; end: bigint; want: number[] }> = [
  { name: 'everything', start: 0n, end: T * 2n, want: [0, 1, 2] },
  { name: 'end is exclusive', start: 0n, end: T + 100n, want: [] },
  { name: 'start is inclusive', start: T + 1002n, end: T + 2000n, want: [2] },
  { name: 'inside a gap', start: T + 401n, end: T + 1000n, want: [] },
  { name: 'overlapping blocks both picked', start: T + 260n, end: T + 270n, want: [0, 1] },
  { name: 'single ns at a block max', start: T + 400n, end: T + 401n, want: [1] },
];
for (const c of overlap) {
  test(`chunkBlocksOverlapping: ${c.name}`, () => {
    const { table } = build(codecs.none);
    assert.deepEqual(chunkBlocksOverlapping(table, c.start, c.end).map((b) => table.indexOf(b)), c.want);
  });
}

test('chunk: decodeChunk gives every entry back, merged in timestamp order', () => {
  for (const codec of Object.values(codecs)) {
    const d = decodeChunk(build(codec).bytes, codecs);
    const got = [...mergeBlockEntries(d.blocks, 0n, T * 2n)].map(plain);
    assert.deepEqual(got, sortedByTs(GROUPS.flat()).map(plain), codec.encoding);
  }
});

test('chunk: the checksum depends on content only, not the encoding', () => {
  const sums = Object.values(codecs).map((codec) => build(codec).checksum);
  assert.equal(new Set(sums).size, 1);
  const decoded = Object.values(codecs).map((codec) => decodeChunk(build(codec).bytes, codecs).checksum);
  assert.deepEqual(decoded, sums);
});

const changes: Array<{ name: string; groups: PushEntry[][]; meta: typeof META }> = [
  { name: 'one line byte', groups: [[entry(T + 100n, 'a1'), entry(T + 200n, 'a2', { trace: 't1' }), entry(T + 300n, 'a4')], ...GROUPS.slice(1)], meta: META },
  { name: 'one metadata value', groups: [[entry(T + 100n, 'a1'), entry(T + 200n, 'a2', { trace: 't2' }), entry(T + 300n, 'a3')], ...GROUPS.slice(1)], meta: META },
  { name: 'one timestamp', groups: [[entry(T + 100n, 'a1'), entry(T + 201n, 'a2', { trace: 't1' }), entry(T + 300n, 'a3')], ...GROUPS.slice(1)], meta: META },
  { name: 'the tenant', groups: GROUPS, meta: { ...META, tenant: 'team-b' } },
  { name: 'block boundaries', groups: [GROUPS.flat()], meta: META },
];
for (const c of changes) {
  test(`chunk: changing ${c.name} changes the checksum`, () => {
    assert.notEqual(build(codecs.none, c.groups, c.meta).checksum, build(codecs.none).checksum);
  });
}

test('chunk: encoding is deterministic', () => {
  assert.deepEqual(build(codecs.none).bytes, build(codecs.none).bytes);
});

test('chunk: no blocks or a bad fingerprint is invalid_argument', () => {
  assert.throws(() => encodeChunk({ ...META, encoding: 'none' }, []), (err: unknown) => isFjordError(err, 'invalid_argument'));
  assert.throws(() => build(codecs.none, GROUPS, { ...META, fingerprint: 'XYZ' }), (err: unknown) => isFjordError(err, 'invalid_argument'));
});

test('chunk: blockBytes on a short chunk is chunk_corrupt', () => {
  const c = build(codecs.none);
  const last = c.table[c.table.length - 1] as BlockRef;
  assert.throws(() => blockBytes(c.bytes.subarray(0, last.offset + 1), last), (err: unknown) => isFjordError(err, 'chunk_corrupt'));
});

test('chunk: header labels may be long and non-ASCII', () => {
  const labels = `{app="${'ü'.repeat(40_000)}"}`;
  const c = build(codecs.zstd, GROUPS, { tenant: 't', labels, fingerprint: fnv1a64Hex(labels) });
  assert.equal(decodeChunk(c.bytes, codecs).header.labels, labels);
});
