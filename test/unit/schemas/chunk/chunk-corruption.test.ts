/**
 * Bad chunk bytes are FjordError('chunk_corrupt') naming the part that failed, and never any other
 * exception: every single-bit flip, every truncation, every short prefix for the ranged readers,
 * and random damage to block layouts (which have no CRC of their own once decompressed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError, type Codec } from '../../../../schemas/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import {
  CHUNK_FOOTER_BYTES, blockSourceFromEntries, decodeBlockPayload, decodeChunk, decodeChunkHeader, encodeBlock,
  encodeBlockPayload, encodeChunk, readBlockTable, type EncodedChunk,
} from '../../../../schemas/chunk/index.js';
import type { PushEntry } from '../../../../schemas/record/index.js';
import { loadCodecs } from '../../../../platform/codecs/index.js';
import { seededRandom } from '../../../helpers/random.js';
import { entry } from '../../../helpers/chunk-entries.js';

const codecs = await loadCodecs();
const T = 1_714_564_800_000_000_000n;
const LABELS = '{app="api"}';

const groups: PushEntry[][] = [
  [entry(T, 'first line', { trace_id: 'abc' }), entry(T + 5n, 'second ✓'), entry(T + 2n, '')],
  [entry(T + 10n, 'x'.repeat(200), { user: 'u1', trace_id: 'abc' }), entry(T + 11n, 'tail')],
];

function build(codec: Codec): EncodedChunk {
  return encodeChunk({ tenant: 't1', labels: LABELS, fingerprint: fnv1a64Hex(LABELS), encoding: codec.encoding }, groups.map((g) => encodeBlock(blockSourceFromEntries(g), codec)));
}

/** The part of the chunk a byte position belongs to, as the error message names it. */
function partAt(c: EncodedChunk, pos: number): RegExp {
  if (pos < c.header.headerBytes) return /^chunk header: /;
  if (pos < c.header.headerBytes + c.header.tableBytes) return /^block table: /;
  if (pos >= c.bytes.length - CHUNK_FOOTER_BYTES) return /^chunk footer: /;
  return /^block: /;
}

function corruptWith(re: RegExp): (err: unknown) => boolean {
  return (err: unknown) => {
    if (!isFjordError(err, 'chunk_corrupt')) throw err;
    assert.match(err.message, re);
    return true;
  };
}

for (const codec of [codecs.none, codecs.zstd, codecs.gzip, codecs.snappy]) {
  test(`corruption (${codec.encoding}): every single-bit flip is caught and names its part`, () => {
    const c = build(codec);
    for (let pos = 0; pos < c.bytes.length; pos++) {
      for (const bit of [0x01, 0x80]) {
        const bad = c.bytes.slice();
        bad[pos] = (bad[pos] as number) ^ bit;
        assert.throws(() => decodeChunk(bad, codecs), corruptWith(partAt(c, pos)), `byte ${pos} bit ${bit}`);
      }
    }
  });

  test(`corruption (${codec.encoding}): truncation at every byte is chunk_corrupt`, () => {
    const c = build(codec);
    for (let len = 0; len < c.bytes.length; len++) {
      assert.throws(() => decodeChunk(c.bytes.subarray(0, len), codecs), corruptWith(/./), `length ${len}`);
    }
  });

  test(`corruption (${codec.encoding}): extra bytes at the end are chunk_corrupt`, () => {
    const c = build(codec);
    const longer = new Uint8Array(c.bytes.length + 3);
    longer.set(c.bytes);
    assert.throws(() => decodeChunk(longer, codecs), corruptWith(/chunk footer|chunk: /));
  });
}

test('corruption: short prefixes given to the ranged readers are chunk_corrupt, long enough ones work', () => {
  const c = build(codecs.zstd);
  const need = c.header.headerBytes + c.header.tableBytes;
  for (let len = 0; len <= need; len++) {
    const prefix = c.bytes.slice(0, len);
    if (len >= c.header.headerBytes) assert.deepEqual(decodeChunkHeader(prefix), c.header);
    else assert.throws(() => decodeChunkHeader(prefix), corruptWith(/^chunk header: /));
    if (len === need) assert.deepEqual(readBlockTable(prefix, c.header), c.table);
    else assert.throws(() => readBlockTable(prefix, c.header), corruptWith(/^block table: truncated/));
  }
});

test('corruption: a chunk with the wrong codec for its blocks is chunk_corrupt', () => {
  const c = build(codecs.zstd);
  assert.throws(() => decodeChunk(c.bytes, { ...codecs, zstd: codecs.gzip }), corruptWith(/^block: gzip decompression failed/));
});

test('corruption: random damage to a block layout is chunk_corrupt or decodes, never another error', () => {
  const payload = encodeBlockPayload(blockSourceFromEntries(groups.flat()));
  const rand = seededRandom(7);
  for (let round = 0; round < 5000; round++) {
    const bad = payload.slice(0, rand() < 0.2 ? Math.floor(rand() * payload.length) : payload.length);
    const flips = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < flips && bad.length > 0; k++) bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
    try {
      const block = decodeBlockPayload(bad);
      for (let i = 0; i < block.count; i++) block.entry(i);
    } catch (err) {
      if (!isFjordError(err, 'chunk_corrupt')) throw err;
    }
  }
});
