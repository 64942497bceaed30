import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError, type Codec } from '../../../../schemas/index.js';
import {
  blockSourceFromEntries, decodeBlock, decodeBlockPayload, encodeBlock, encodeBlockPayload, mergeBlockEntries,
  type DecodedBlock,
} from '../../../../schemas/chunk/index.js';
import type { PushEntry } from '../../../../schemas/record/index.js';
import { gzipCodec, noneCodec } from '../../../../platform/codecs/index.js';
import { compileLogPipeline, parseExpr, type LogSelectorExpr } from '../../../../query/logql/index.js';
import { entry, plain, sortedByTs } from '../../../helpers/chunk-entries.js';

const T = 1_714_564_800_000_000_000n; // 2024-05-01T12:00:00Z

const cases: Array<{ name: string; entries: PushEntry[] }> = [
  { name: 'one entry', entries: [entry(T, 'only line')] },
  { name: 'empty structured metadata everywhere', entries: [entry(T, 'a'), entry(T + 1n, 'b'), entry(T + 2n, 'c')] },
  { name: 'structured metadata on some entries', entries: [entry(T, 'a', { trace_id: 'abc', user: 'u1' }), entry(T + 5n, 'b'), entry(T + 9n, 'c', { trace_id: 'def' })] },
  { name: 'metadata order kept, values repeated', entries: [entry(T, 'x', { z: '1', a: '1' }), entry(T + 1n, 'y', { a: '1', z: '1' })] },
  { name: 'unicode lines and metadata', entries: [entry(T, 'größe 😀 ✓', { 'nom': 'café' }), entry(T + 1n, '日本語のログ行')] },
  { name: 'empty lines', entries: [entry(T, ''), entry(T + 1n, ''), entry(T + 2n, 'x'), entry(T + 3n, '')] },
  { name: 'out-of-order timestamps are sorted', entries: [entry(T + 30n, 'c'), entry(T + 10n, 'a'), entry(T + 20n, 'b')] },
  { name: 'equal timestamps keep append order', entries: [entry(T, 'first'), entry(T, 'second'), entry(T - 1n, 'earlier'), entry(T, 'third')] },
  { name: 'timestamps before the epoch', entries: [entry(-5_000_000_000n, 'old'), entry(-1n, 'older by a bit'), entry(0n, 'epoch')] },
  { name: 'span wider than 2^53 ns (bigint path)', entries: [entry(0n, 'a'), entry(1n << 60n, 'b'), entry((1n << 62n) + 7n, 'c')] },
  { name: 'large timestamp deltas under 2^53', entries: [entry(T, 'a'), entry(T + (1n << 40n), 'b'), entry(T + (1n << 52n), 'c')] },
  { name: 'a line with a newline and NUL bytes', entries: [entry(T, 'a\nb\0c'), entry(T + 1n, '\0')] },
];

function check(block: DecodedBlock, want: PushEntry[]): void {
  const sorted = sortedByTs(want);
  assert.equal(block.count, sorted.length);
  assert.equal(block.bounds.length, sorted.length + 1);
  assert.equal(block.bounds[sorted.length], block.text.length);
  assert.deepEqual(Array.from({ length: block.count }, (_, i) => plain(block.entry(i))), sorted.map(plain));
  assert.deepEqual([...block.tsNs], sorted.map((e) => e.tsNs));
  assert.equal(block.hasStructuredMetadata, want.some((e) => e.structuredMetadata.length > 0));
}

for (const c of cases) {
  test(`block payload round trip: ${c.name}`, () => {
    check(decodeBlockPayload(encodeBlockPayload(blockSourceFromEntries(c.entries))), c.entries);
  });
  for (const codec of [noneCodec(), gzipCodec()]) {
    test(`block round trip through ${codec.encoding}: ${c.name}`, () => {
      const enc = encodeBlock(blockSourceFromEntries(c.entries), codec);
      const sorted = sortedByTs(c.entries);
      assert.equal(enc.entries, c.entries.length);
      assert.equal(enc.minTsNs, sorted[0]?.tsNs);
      assert.equal(enc.maxTsNs, sorted[sorted.length - 1]?.tsNs);
      check(decodeBlock(enc.compressed, codec, enc, true), c.entries);
    });
  }
}

test('block: lines region is the concatenated lines, bounds index it', () => {
  const block = decodeBlockPayload(encodeBlockPayload(blockSourceFromEntries([entry(T, 'ab'), entry(T + 1n, ''), entry(T + 2n, 'cde')])));
  assert.equal(block.text.toString(), 'abcde');
  assert.deepEqual([...block.bounds], [0, 2, 2, 5]);
});

test('block: layout bytes for a one-entry block are as FORMATS.md says', () => {
  const payload = encodeBlockPayload(blockSourceFromEntries([entry(5n, 'hi')]));
  // count 1, base ts zigzag(5)=10, delta 0, line length 2, metadata length 0, "hi"
  assert.deepEqual([...payload], [1, 10, 0, 2, 0, 0x68, 0x69]);
});

test('block: an empty block is refused', () => {
  assert.throws(() => encodeBlockPayload(blockSourceFromEntries([])), (err: unknown) => isFjordError(err, 'invalid_argument'));
});

test('block: decoded lines are views of one buffer, not copies', () => {
  const block = decodeBlockPayload(encodeBlockPayload(blockSourceFromEntries([entry(T, 'one'), entry(T + 1n, 'two')])));
  assert.equal(block.line(1).buffer, block.text.buffer);
});

const corrupt: Array<{ name: string; bytes: number[]; message: RegExp }> = [
  { name: 'no entries', bytes: [0], message: /block: no entries/ },
  { name: 'count larger than the block', bytes: [100, 0, 0], message: /entry count exceeds the block/ },
  { name: 'line lengths past the end', bytes: [1, 0, 0, 9, 0, 0x61], message: /line lengths exceed|lines region/ },
  { name: 'lines region longer than the lengths', bytes: [1, 0, 0, 1, 0, 0x61, 0x62], message: /lines region is 2 bytes, line lengths add up to 1/ },
  { name: 'metadata symbol out of range', bytes: [1, 0, 0, 1, 3, 0, 1, 0, 0x61], message: /symbol count|symbol number out of range|pair count/ },
];
for (const c of corrupt) {
  test(`block payload: ${c.name} is chunk_corrupt`, () => {
    assert.throws(() => decodeBlockPayload(Uint8Array.from(c.bytes)), (err: unknown) => isFjordError(err, 'chunk_corrupt') && c.message.test(err.message));
  });
}

test('decodeBlock: a CRC mismatch, a length mismatch and a count mismatch are named', () => {
  const codec: Codec = noneCodec();
  const enc = encodeBlock(blockSourceFromEntries([entry(T, 'a'), entry(T + 1n, 'b')]), codec);
  const is = (re: RegExp) => (err: unknown) => isFjordError(err, 'chunk_corrupt') && re.test(err.message);
  assert.throws(() => decodeBlock(enc.compressed, codec, { ...enc, crc: enc.crc ^ 1 }), is(/block: CRC32C mismatch/));
  assert.throws(() => decodeBlock(enc.compressed, codec, { ...enc, uncompressedBytes: 3 }), is(/decompressed to \d+ bytes, table says 3/));
  assert.throws(() => decodeBlock(enc.compressed, codec, { ...enc, entries: 3 }), is(/2 entries, table says 3/));
  assert.throws(() => decodeBlock(enc.compressed, codec, { ...enc, maxTsNs: T + 2n }), is(/timestamps disagree/));
  assert.throws(() => decodeBlock(enc.compressed, codec, { ...enc, contentCrc: 0 }, true), is(/content CRC32C mismatch/));
});

const merges = [
  { name: 'disjoint blocks', blocks: [[1, 2], [3, 4]], start: 0, end: 10, want: [1, 2, 3, 4] },
  { name: 'overlapping blocks interleave', blocks: [[1, 5, 9], [2, 5, 6]], start: 0, end: 10, want: [1, 2, 5, 5, 6, 9] },
  { name: 'range is half-open', blocks: [[1, 2, 3], [2, 4]], start: 2, end: 4, want: [2, 2, 3] },
  { name: 'empty range', blocks: [[1, 2]], start: 5, end: 9, want: [] },
];
for (const c of merges) {
  test(`mergeBlockEntries: ${c.name}`, () => {
    const blocks = c.blocks.map((ts, b) => decodeBlockPayload(encodeBlockPayload(blockSourceFromEntries(ts.map((t) => entry(t, `b${b}@${t}`))))));
    const fwd = [...mergeBlockEntries(blocks, BigInt(c.start), BigInt(c.end))].map((e) => Number(e.tsNs));
    assert.deepEqual(fwd, c.want);
    const back = [...mergeBlockEntries(blocks, BigInt(c.start), BigInt(c.end), 'backward')].map((e) => plain(e)[1]);
    const fwdLines = [...mergeBlockEntries(blocks, BigInt(c.start), BigInt(c.end))].map((e) => plain(e)[1]);
    assert.deepEqual(back, fwdLines.reverse());
  });
}

test('block: a decoded block feeds the LogQL pipeline\'s selectLines directly', () => {
  const lines = ['level=info msg=ok', 'level=error msg="disk full"', '', 'level=error msg=timeout', 'error at end'];
  const block = decodeBlockPayload(encodeBlockPayload(blockSourceFromEntries(lines.map((l, i) => entry(T + BigInt(i), l)))));
  const cases = [
    { query: '{app="x"} |= "level=error"', want: [1, 3] },
    { query: '{app="x"} != "error"', want: [0, 2] },
    { query: '{app="x"} |= "error" |= "timeout"', want: [3] },
  ];
  for (const c of cases) {
    const p = compileLogPipeline(parseExpr(c.query) as LogSelectorExpr);
    assert.deepEqual([...p.selectLines(block.text, block.bounds, block.count)], c.want, c.query);
  }
});
