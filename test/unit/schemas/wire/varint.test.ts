import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../../../schemas/index.js';
import {
  ByteReader, ByteWriter, putUvarint, putUvarintBig, uvarintLength, uvarintLengthBig, zigzagDecode, zigzagEncode,
} from '../../../../schemas/wire/index.js';

// Encodings as Go's binary.PutUvarint writes them.
const uvarints = [
  { name: 'zero', n: 0, bytes: [0x00] },
  { name: 'one byte max', n: 127, bytes: [0x7f] },
  { name: 'two bytes min', n: 128, bytes: [0x80, 0x01] },
  { name: '300', n: 300, bytes: [0xac, 0x02] },
  { name: '2^32', n: 2 ** 32, bytes: [0x80, 0x80, 0x80, 0x80, 0x10] },
  { name: '2^53 - 1', n: Number.MAX_SAFE_INTEGER, bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f] },
];
for (const c of uvarints) {
  test(`uvarint: ${c.name}`, () => {
    const buf = new Uint8Array(10);
    const end = putUvarint(buf, 0, c.n);
    assert.deepEqual([...buf.subarray(0, end)], c.bytes);
    assert.equal(uvarintLength(c.n), c.bytes.length);
    assert.equal(new ByteReader(buf.subarray(0, end), 't', 'chunk_corrupt').uvarint('n'), c.n);
  });
}

const bigUvarints = [
  { name: 'small', n: 5n, len: 1 },
  { name: '2^63', n: 1n << 63n, len: 10 },
  { name: '2^64 - 1', n: (1n << 64n) - 1n, len: 10 },
  { name: 'ns timestamp', n: 1_714_564_800_123_456_789n, len: 9 },
];
for (const c of bigUvarints) {
  test(`uvarintBig: ${c.name}`, () => {
    const buf = new Uint8Array(10);
    const end = putUvarintBig(buf, 0, c.n);
    assert.equal(end, c.len);
    assert.equal(uvarintLengthBig(c.n), c.len);
    assert.equal(new ByteReader(buf.subarray(0, end), 't', 'chunk_corrupt').uvarintBig('n'), c.n);
  });
}

const zigzags = [
  { name: '0', n: 0n, z: 0n },
  { name: '-1', n: -1n, z: 1n },
  { name: '1', n: 1n, z: 2n },
  { name: '-2', n: -2n, z: 3n },
  { name: 'int64 max', n: (1n << 63n) - 1n, z: (1n << 64n) - 2n },
  { name: 'int64 min', n: -(1n << 63n), z: (1n << 64n) - 1n },
];
for (const c of zigzags) {
  test(`zigzag: ${c.name}`, () => {
    assert.equal(zigzagEncode(c.n), c.z);
    assert.equal(zigzagDecode(c.z), c.n);
    const bytes = new ByteWriter().varintBig(c.n).finish();
    assert.equal(new ByteReader(bytes, 't', 'chunk_corrupt').varintBig('n'), c.n);
  });
}

const badReads = [
  { name: 'truncated uvarint', bytes: [0x80], read: (r: ByteReader) => r.uvarint('len'), message: /x: truncated reading len/ },
  { name: 'uvarint of 8 bytes above 2^53', bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], read: (r: ByteReader) => r.uvarint('len'), message: /too large/ },
  { name: 'uvarint beyond 2^53', bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], read: (r: ByteReader) => r.uvarint('len'), message: /too large/ },
  { name: 'uvarintBig over 64 bits', bytes: [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], read: (r: ByteReader) => r.uvarintBig('ts'), message: /overflows/ },
  { name: 'u32 past the end', bytes: [1, 2, 3], read: (r: ByteReader) => r.u32('crc'), message: /truncated reading crc/ },
  { name: 'string longer than the bytes', bytes: [5, 0x61], read: (r: ByteReader) => r.string('tenant'), message: /truncated reading tenant/ },
  { name: 'invalid UTF-8', bytes: [2, 0xc3, 0x28], read: (r: ByteReader) => r.string('labels'), message: /not valid UTF-8/ },
  { name: 'trailing bytes', bytes: [0, 0], read: (r: ByteReader) => (r.uvarint('n'), r.expectEnd()), message: /1 unexpected trailing bytes/ },
];
for (const c of badReads) {
  test(`ByteReader: ${c.name} is a FjordError`, () => {
    const r = new ByteReader(Uint8Array.from(c.bytes), 'x', 'index_corrupt');
    assert.throws(() => c.read(r), (err: unknown) => isFjordError(err, 'index_corrupt') && c.message.test(err.message));
  });
}

test('ByteWriter: grows past its initial size and keeps every byte', () => {
  const w = new ByteWriter(16);
  for (let i = 0; i < 1000; i++) w.uvarint(i);
  const r = new ByteReader(w.finish(), 't', 'chunk_corrupt');
  for (let i = 0; i < 1000; i++) assert.equal(r.uvarint('n'), i);
  r.expectEnd();
});
