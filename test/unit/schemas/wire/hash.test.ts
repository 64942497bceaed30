import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c, fnv1_32, fnv1a64Hex, hash53 } from '../../../../schemas/wire/index.js';

// Vectors: FNV from the reference test suite of Landon Curt Noll's FNV page (isthe.com/chongo/tech/comp/fnv),
// CRC-32C check value from RFC 3720 / the Rocksoft model ("123456789" → 0xE3069283).
const fnv64 = [
  { name: 'empty', input: '', want: 'cbf29ce484222325' },
  { name: 'a', input: 'a', want: 'af63dc4c8601ec8c' },
  { name: 'foobar', input: 'foobar', want: '85944171f73967e8' },
];
for (const c of fnv64) test(`fnv1a64Hex: ${c.name}`, () => assert.equal(fnv1a64Hex(c.input), c.want));

const fnv32 = [
  { name: 'empty', parts: [''], want: 0x811c9dc5 },
  { name: 'a', parts: ['a'], want: 0x050c5d7e },
  { name: 'foobar', parts: ['foobar'], want: 0x31f0b262 },
  { name: 'parts hash as their concatenation', parts: ['foo', 'bar'], want: 0x31f0b262 },
];
for (const c of fnv32) test(`fnv1_32: ${c.name}`, () => assert.equal(fnv1_32(...c.parts), c.want));

const crcs = [
  { name: 'check value', input: Buffer.from('123456789'), want: 0xe3069283 },
  { name: 'empty', input: Buffer.alloc(0), want: 0 },
  { name: '32 zero bytes (RFC 3720 B.4)', input: Buffer.alloc(32), want: 0x8a9136aa },
  { name: '32 0xff bytes (RFC 3720 B.4)', input: Buffer.alloc(32, 0xff), want: 0x62a8ab43 },
];
for (const c of crcs) test(`crc32c: ${c.name}`, () => assert.equal(crc32c(c.input), c.want));

test('crc32c: continuing a checksum equals checksumming the whole', () => {
  const data = Buffer.from('the quick brown fox jumps over the lazy dog, twice over');
  assert.equal(crc32c(data, 13, data.length, crc32c(data, 0, 13)), crc32c(data));
});

test('fnv1_32 hashes the UTF-8 bytes of non-ASCII text', () => {
  const byBytes = (...parts: string[]) => {
    let h = 0x811c9dc5;
    for (const b of Buffer.from(parts.join(''), 'utf8')) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
    return h;
  };
  for (const parts of [['tenant', '{app="ünï"}'], ['ü', 'a'], ['{a="✓ 😀"}'], ['x', 'é', 'y']]) {
    assert.equal(fnv1_32(...parts), byBytes(...parts), parts.join(' | '));
  }
});

test('hash53: a whole number below 2^53, the same for the same text', () => {
  const texts = ['', '{a="1"}', '{app="soak-1", pod="pod-00001"}', '{pod="ü"}'];
  for (const t of texts) {
    const h = hash53(t);
    assert.ok(Number.isSafeInteger(h) && h >= 0, `${t}: ${h}`);
    assert.equal(hash53(t), h);
  }
});

test('hash53: 200,000 label texts that differ in one label value give 200,000 hashes', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 200_000; i++) seen.add(hash53(`{app="soak", namespace="ns-${i % 5}", pod="pod-${i}"}`));
  assert.equal(seen.size, 200_000);
});
