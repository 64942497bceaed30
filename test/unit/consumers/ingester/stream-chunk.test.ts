import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../../../schemas/index.js';
import { StreamChunk } from '../../../../consumers/ingester/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import { decodeChunk, mergeBlockEntries } from '../../../../schemas/chunk/index.js';
import { parseChunkKey } from '../../../../schemas/index/index.js';
import type { PushEntry } from '../../../../schemas/record/index.js';
import { loadCodecs } from '../../../../platform/codecs/index.js';
import { entry, plain, sortedByTs } from '../../../helpers/chunk-entries.js';

const codecs = await loadCodecs();
const T = 1_714_564_800_000_000_000n;
const LABELS = '{app="api"}';

function chunk(blockSizeBytes: number, codec = codecs.zstd): StreamChunk {
  return new StreamChunk({ tenant: 'team-a', labels: LABELS, fingerprint: fnv1a64Hex(LABELS), codec, blockSizeBytes });
}

const cuts: Array<{ name: string; blockSize: number; lines: number[]; metaBytes?: number; wantBlocks: number; wantHead: number }> = [
  { name: 'below the block size stays in the head', blockSize: 100, lines: [30, 30, 30], wantBlocks: 0, wantHead: 3 },
  { name: 'reaching the block size cuts at once', blockSize: 100, lines: [30, 30, 40], wantBlocks: 1, wantHead: 0 },
  { name: 'passing it cuts after the entry that passed it', blockSize: 100, lines: [30, 30, 30, 30, 10], wantBlocks: 1, wantHead: 1 },
  { name: 'one huge line is a block of its own', blockSize: 100, lines: [500, 10], wantBlocks: 1, wantHead: 1 },
  { name: 'many blocks', blockSize: 64, lines: Array.from({ length: 20 }, () => 32), wantBlocks: 10, wantHead: 0 },
  { name: 'structured metadata counts toward the head size', blockSize: 100, lines: [20, 20], metaBytes: 30, wantBlocks: 1, wantHead: 0 },
];
for (const c of cuts) {
  test(`stream chunk: ${c.name}`, () => {
    const sc = chunk(c.blockSize);
    c.lines.forEach((len, i) => sc.append(entry(T + BigInt(i), 'x'.repeat(len), c.metaBytes ? { k: 'v'.repeat(c.metaBytes - 1) } : {}), 1000 + i));
    assert.equal(sc.blockCount, c.wantBlocks);
    assert.equal(sc.entries, c.lines.length);
    assert.equal(sc.entries - sc.closedBlocks.reduce((s, b) => s + b.entries, 0), c.wantHead);
    assert.equal(sc.compressedBytes, sc.closedBlocks.reduce((s, b) => s + b.compressed.length, 0));
  });
}

test('stream chunk: numbers for the cut policy', () => {
  const sc = chunk(1 << 20);
  assert.equal(sc.isEmpty, true);
  assert.equal(sc.firstAppendMs, null);
  assert.equal(sc.minTsNs, null);
  sc.append(entry(T + 50n, 'b'), 2_000);
  sc.append(entry(T + 10n, 'a'), 2_500);
  sc.append(entry(T + 90n, 'cc', { k: 'v' }), 3_000);
  assert.equal(sc.entries, 3);
  assert.equal(sc.firstAppendMs, 2_000);
  assert.equal(sc.lastAppendMs, 3_000);
  assert.equal(sc.minTsNs, T + 10n);
  assert.equal(sc.maxTsNs, T + 90n);
  assert.equal(sc.headBytes, 1 + 1 + 2 + 2);
  assert.equal(sc.uncompressedBytes, 6);
  assert.equal(sc.compressedBytes, 0);
  const before = sc.memoryBytes;
  sc.append(entry(T + 91n, 'y'.repeat(10_000)), 3_001);
  assert.ok(sc.memoryBytes >= before + 10_000);
});

const dups: Array<{ name: string; first: PushEntry[]; next: PushEntry; want: 'appended' | 'duplicate' }> = [
  { name: 'same ts, line and metadata', first: [entry(T, 'a', { k: 'v' })], next: entry(T, 'a', { k: 'v' }), want: 'duplicate' },
  { name: 'same ts and line, other metadata', first: [entry(T, 'a', { k: 'v' })], next: entry(T, 'a', { k: 'w' }), want: 'appended' },
  { name: 'same ts, other line', first: [entry(T, 'a')], next: entry(T, 'b'), want: 'appended' },
  { name: 'same line, other ts', first: [entry(T, 'a')], next: entry(T + 1n, 'a'), want: 'appended' },
  { name: 'out of order, repeating an older entry', first: [entry(T, 'a'), entry(T + 5n, 'b'), entry(T + 9n, 'c')], next: entry(T + 5n, 'b'), want: 'duplicate' },
  { name: 'repeat among several at one ts', first: [entry(T, 'a'), entry(T, 'b'), entry(T, 'c')], next: entry(T, 'b'), want: 'duplicate' },
];
for (const c of dups) {
  test(`stream chunk duplicates: ${c.name}`, () => {
    const sc = chunk(1 << 20);
    for (const e of c.first) assert.equal(sc.append(e, 0), 'appended');
    assert.equal(sc.append(c.next, 1), c.want);
    assert.equal(sc.entries, c.first.length + (c.want === 'appended' ? 1 : 0));
  });
}

test('stream chunk: a duplicate of an entry already cut into a block is kept (as in Loki, only the head is checked)', () => {
  const sc = chunk(4);
  sc.append(entry(T, 'abcd'), 0);
  assert.equal(sc.blockCount, 1);
  assert.equal(sc.append(entry(T, 'abcd'), 1), 'appended');
});

test('stream chunk: the line is copied on append', () => {
  const sc = chunk(1 << 20);
  const e = entry(T, 'original');
  sc.append(e, 0);
  e.line.fill(0x21);
  assert.equal(plain([...sc.entriesInRange(0n, T * 2n)][0] as PushEntry)[1], 'original');
});

function appendAll(sc: StreamChunk, entries: PushEntry[]): void {
  entries.forEach((e, i) => sc.append(e, i));
}

const outOfOrder = [10, 3, 7, 7, 1, 12, 2, 9, 11, 4, 8, 6, 5, 0, 14, 13].map((t, i) => entry(T + BigInt(t), `line ${i} at ${t}`, i % 4 === 0 ? { i: String(i) } : {}));

test('stream chunk: entriesInRange merges closed blocks and the head in timestamp order', () => {
  const sc = chunk(30);
  appendAll(sc, outOfOrder);
  assert.ok(sc.blockCount >= 3);
  assert.ok(sc.headBytes > 0);
  const want = sortedByTs(outOfOrder);
  assert.deepEqual([...sc.entriesInRange(0n, T * 2n)].map(plain), want.map(plain));
  assert.deepEqual([...sc.entriesInRange(T + 3n, T + 8n)].map(plain), want.filter((e) => e.tsNs >= T + 3n && e.tsNs < T + 8n).map(plain));
  assert.deepEqual([...sc.entriesInRange(0n, T * 2n, 'backward')].map(plain), want.map(plain).reverse());
});

test('stream chunk: blocks() gives closed blocks then the sorted head', () => {
  const sc = chunk(30);
  appendAll(sc, outOfOrder);
  const blocks = sc.blocks();
  assert.equal(blocks.length, sc.blockCount + 1);
  for (const b of blocks) for (let i = 1; i < b.count; i++) assert.ok((b.tsNs[i - 1] as bigint) <= (b.tsNs[i] as bigint));
  assert.equal(blocks.reduce((s, b) => s + b.count, 0), outOfOrder.length);
  assert.deepEqual(sc.blocks(T + 100n, T + 200n), []);
});

test('stream chunk: cut() gives a chunk holding every entry, keyed by its content, and starts over', () => {
  for (const codec of Object.values(codecs)) {
    const sc = chunk(40, codec);
    appendAll(sc, outOfOrder);
    const cut = sc.cut();
    const d = decodeChunk(cut.bytes, codecs);
    assert.deepEqual([...mergeBlockEntries(d.blocks, 0n, T * 2n)].map(plain), sortedByTs(outOfOrder).map(plain));
    assert.deepEqual(parseChunkKey(cut.key), { tenant: 'team-a', fingerprint: fnv1a64Hex(LABELS), fromNs: T, throughNs: T + 14n, checksum: cut.checksum });
    assert.equal(sc.isEmpty, true);
    assert.equal(sc.compressedBytes, 0);
    assert.equal(sc.firstAppendMs, null);
    assert.throws(() => sc.cut(), (err: unknown) => isFjordError(err, 'invalid_argument'));
  }
});

test('stream chunk: replaying the same appends gives the same key whatever the codec', () => {
  const keys = Object.values(codecs).map((codec) => {
    const sc = chunk(40, codec);
    appendAll(sc, outOfOrder);
    return sc.cut().key;
  });
  assert.equal(new Set(keys).size, 1);
});
