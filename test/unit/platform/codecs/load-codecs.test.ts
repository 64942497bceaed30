import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipCodec, loadCodecs, loadZstdNative, loadZstdWasm, noneCodec, snappyCodec } from '../../../../platform/codecs/index.js';
import { isFjordError, type Codec } from '../../../../schemas/index.js';
import { corpusLines } from '../../../bench/corpus.js';

const text = Buffer.from(corpusLines(2000).join('\n'));
const inputs = [
  { name: 'empty', data: new Uint8Array(0) },
  { name: 'one byte', data: Uint8Array.of(7) },
  { name: 'log text', data: text },
  { name: 'incompressible', data: Uint8Array.from({ length: 70_000 }, (_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff) },
];

const native = loadZstdNative(3);
const wasm = await loadZstdWasm(3);
const all: Codec[] = [noneCodec(), gzipCodec(), snappyCodec(), wasm, ...(native ? [native] : [])];

for (const codec of all) {
  for (const c of inputs) {
    test(`codec ${codec.implementation}: round trip of ${c.name}`, () => {
      const out = codec.decompress(codec.compress(c.data), c.data.length);
      assert.deepEqual(Buffer.from(out), Buffer.from(c.data));
    });
  }
}

test('loadCodecs: one codec per encoding, zstd native when it loads', async () => {
  const codecs = await loadCodecs();
  for (const [encoding, codec] of Object.entries(codecs)) assert.equal(codec.encoding, encoding);
  assert.equal(codecs.zstd.implementation, native ? 'zstd-napi (native)' : 'zstd-codec (wasm)');
  assert.equal((await loadCodecs({ zstd: 'wasm' })).zstd.implementation, 'zstd-codec (wasm)');
});

test('zstd: native and WebAssembly read each other\'s output', { skip: native === null ? 'zstd-napi not built here' : false }, () => {
  const n = native as Codec;
  for (const c of inputs) {
    assert.deepEqual(Buffer.from(wasm.decompress(n.compress(c.data), c.data.length)), Buffer.from(c.data), `native → wasm: ${c.name}`);
    assert.deepEqual(Buffer.from(n.decompress(wasm.compress(c.data), c.data.length)), Buffer.from(c.data), `wasm → native: ${c.name}`);
  }
});

const compressible = Buffer.from('abc'.repeat(5000));
for (const codec of all.filter((c) => c.encoding !== 'none')) {
  test(`codec ${codec.implementation}: corrupt or truncated input is chunk_corrupt`, () => {
    const good = codec.compress(compressible);
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff);
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    for (const bad of [garbage, truncated, new Uint8Array(0)]) {
      try {
        const out = codec.decompress(bad, compressible.length);
        // Some formats decode a prefix or nothing without error; it must not pass as the original.
        assert.notDeepEqual(Buffer.from(out), compressible);
      } catch (err) {
        assert.ok(isFjordError(err, 'chunk_corrupt'), `${codec.implementation}: ${String(err)}`);
      }
    }
  });
}

test('gzip: the size hint bounds the output', () => {
  const gz = gzipCodec();
  assert.throws(() => gz.decompress(gz.compress(compressible), 100), (err: unknown) => isFjordError(err, 'chunk_corrupt'));
});
