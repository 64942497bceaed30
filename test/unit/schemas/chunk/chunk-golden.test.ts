/**
 * Golden chunks: test/fixtures/chunks/golden-{none,zstd}.fjc were written by this file from the
 * entries below (FJORD_UPDATE_GOLDEN=1 rewrites them). Decoding them must give these entries, and
 * encoding the entries again with `none` must give the same bytes, so the format cannot change by
 * accident.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Codec } from '../../../../schemas/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import {
  blockSourceFromEntries, decodeChunk, encodeBlock, encodeChunk, mergeBlockEntries,
} from '../../../../schemas/chunk/index.js';
import type { PushEntry } from '../../../../schemas/record/index.js';
import { loadCodecs, loadZstdNative, loadZstdWasm } from '../../../../platform/codecs/index.js';
import { entry, plain, sortedByTs } from '../../../helpers/chunk-entries.js';

const dir = new URL('../../../../../test/fixtures/chunks/', import.meta.url);
const T = 1_714_564_800_000_000_000n; // 2024-05-01T12:00:00Z
const LABELS = '{app="checkout", env="prod", namespace="shop"}';

/** Three blocks of 12 entries: metadata, unicode, empty lines, equal and out-of-order timestamps. */
function goldenGroups(): PushEntry[][] {
  const groups: PushEntry[][] = [];
  for (let b = 0; b < 3; b++) {
    const g: PushEntry[] = [];
    for (let i = 0; i < 12; i++) {
      const n = b * 12 + i;
      const ts = T + BigInt(b * 1_000_000_000 + (i % 4 === 3 ? -i * 1_000 : i * 1_000_000)) + (i === 5 ? -1_000_000n : 0n);
      const line = n % 7 === 0 ? '' : n % 5 === 0 ? `größe=${n} 😀 ✓` : `level=${n % 3 ? 'info' : 'error'} msg="request ${n}" duration=${n * 3}ms`;
      const meta: Record<string, string> = n % 4 === 0 ? { trace_id: `t${n.toString(16)}`, user: `u${n % 3}` } : n % 6 === 1 ? { pod: 'checkout-7d9f' } : {};
      g.push(entry(ts, line, meta));
    }
    groups.push(g);
  }
  return groups;
}

function encode(codec: Codec): Uint8Array {
  const blocks = goldenGroups().map((g) => encodeBlock(blockSourceFromEntries(g), codec));
  return encodeChunk({ tenant: 'golden', labels: LABELS, fingerprint: fnv1a64Hex(LABELS), encoding: codec.encoding }, blocks).bytes;
}

const codecs = await loadCodecs();
if (process.env.FJORD_UPDATE_GOLDEN === '1') {
  writeFileSync(new URL('golden-none.fjc', dir), encode(codecs.none));
  writeFileSync(new URL('golden-zstd.fjc', dir), encode(codecs.zstd));
}
const want = sortedByTs(goldenGroups().flat()).map(plain);
const fixtures = [
  { name: 'golden-none.fjc', encoding: 'none' },
  { name: 'golden-zstd.fjc', encoding: 'zstd' },
];

for (const f of fixtures) {
  test(`golden ${f.name}: decodes to the entries it was written from`, () => {
    const d = decodeChunk(readFileSync(new URL(f.name, dir)), codecs);
    assert.equal(d.header.encoding, f.encoding);
    assert.equal(d.header.tenant, 'golden');
    assert.equal(d.header.labels, LABELS);
    assert.equal(d.header.entries, 36);
    assert.equal(d.blocks.length, 3);
    assert.deepEqual([...mergeBlockEntries(d.blocks, 0n, T * 2n)].map(plain), want);
  });
}

test('golden: re-encoding with none gives the committed bytes', () => {
  assert.deepEqual(Buffer.from(encode(codecs.none)), readFileSync(new URL('golden-none.fjc', dir)));
});

test('golden: both fixtures carry the same content checksum', () => {
  const none = decodeChunk(readFileSync(new URL('golden-none.fjc', dir)), codecs);
  const zstd = decodeChunk(readFileSync(new URL('golden-zstd.fjc', dir)), codecs);
  assert.equal(none.checksum, zstd.checksum);
});

test('golden: the zstd fixture reads with the native and the WebAssembly zstd alike', async () => {
  const bytes = readFileSync(new URL('golden-zstd.fjc', dir));
  const impls = [loadZstdNative(3), await loadZstdWasm(3)].filter((c): c is Codec => c !== null);
  for (const zstd of impls) {
    const d = decodeChunk(bytes, { ...codecs, zstd });
    assert.deepEqual([...mergeBlockEntries(d.blocks, 0n, T * 2n)].map(plain), want, zstd.implementation);
  }
});
