import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { ProtoReader, ProtoWriter, int64VarintSize, varintSize } from '../../../../schemas/wire/index.js';
import { hex, toHex } from '../../../helpers/bytes.js';

function badRequest(message: string) {
  return (err: unknown) => err instanceof FjordError && err.code === 'bad_request' && err.message === message;
}

const varints = [
  { name: 'zero', bytes: '00', lo: 0, hi: 0 },
  { name: 'one byte max', bytes: '7f', lo: 127, hi: 0 },
  { name: 'two bytes', bytes: 'ac02', lo: 300, hi: 0 },
  { name: 'uint32 max', bytes: 'ffffffff0f', lo: 0xffffffff, hi: 0 },
  { name: '2^32', bytes: '8080808010', lo: 0, hi: 1 },
  { name: 'uint64 max (10 bytes)', bytes: 'ffffffffffffffffff01', lo: 0xffffffff, hi: 0xffffffff },
  { name: 'bits past 64 dropped, as Go', bytes: 'ffffffffffffffffff7f', lo: 0xffffffff, hi: 0xffffffff },
  { name: 'non-minimal zero', bytes: '8000', lo: 0, hi: 0 },
];
for (const c of varints) {
  test(`ProtoReader.readVarint: ${c.name}`, () => {
    const r = new ProtoReader(hex(c.bytes));
    assert.equal(r.readVarint(), c.lo);
    assert.equal(r.hi, c.hi);
    assert.equal(r.pos, hex(c.bytes).length);
  });
}

const badVarints = [
  { name: 'empty', bytes: '', want: 'unexpected EOF' },
  { name: 'continuation at end', bytes: '80', want: 'unexpected EOF' },
  { name: 'nine continuation bytes then end', bytes: 'ffffffffffffffffff', want: 'unexpected EOF' },
  { name: 'eleven bytes', bytes: 'ffffffffffffffffffff01', want: 'proto: integer overflow' },
];
for (const c of badVarints) {
  test(`ProtoReader.readVarint rejects: ${c.name}`, () => {
    assert.throws(() => new ProtoReader(hex(c.bytes)).readVarint(), badRequest(c.want));
  });
}

test('ProtoReader: int64 and int32 views of a varint', () => {
  assert.equal(new ProtoReader(hex('ffffffffffffffffff01')).readVarintBigInt(), -1n);
  assert.equal(new ProtoReader(hex('ffffffffffffffffff01')).readVarintBigUint(), 2n ** 64n - 1n);
  assert.equal(new ProtoReader(hex('ffffffffffffffffff01')).readVarintInt64Number(), -1);
  assert.equal(new ProtoReader(hex('feffffffffffffffff01')).readVarintInt32(), -2);
  const w = new ProtoWriter();
  w.varint(1e14);
  assert.equal(new ProtoReader(w.finish()).readVarintInt64Number(), 1e14);
});

const lengths = [
  { name: 'fits', bytes: '03616263', want: 'abc' },
  { name: 'empty', bytes: '00', want: '' },
];
for (const c of lengths) {
  test(`ProtoReader.readBytes: ${c.name}`, () => {
    const input = hex(c.bytes);
    const got = new ProtoReader(input).readBytes();
    assert.equal(Buffer.from(got).toString(), c.want);
    assert.equal(got.buffer, input.buffer, 'a subarray of the input, not a copy');
  });
}

const badLengths = [
  { name: 'past the end', bytes: '0461', want: 'unexpected EOF' },
  { name: 'bit 63 set', bytes: 'ffffffffffffffff8001', want: 'proto: negative length found during unmarshaling' },
  { name: 'huge positive', bytes: 'ffffffffffffff7f', want: 'unexpected EOF' },
  { name: 'position plus length past 2^63 (Go overflows to negative)', bytes: 'ffffffffffffffff7f', want: 'proto: negative length found during unmarshaling' },
];
for (const c of badLengths) {
  test(`ProtoReader.readLength rejects: ${c.name}`, () => {
    assert.throws(() => new ProtoReader(hex(c.bytes)).readLength(), badRequest(c.want));
  });
}

test('ProtoReader: fixed64, fixed32, double, and their truncation', () => {
  assert.equal(new ProtoReader(hex('0100000000000080')).readFixed64(), 2n ** 63n + 1n);
  assert.equal(new ProtoReader(hex('ffffffff')).readFixed32(), 0xffffffff);
  assert.equal(new ProtoReader(hex('000000000000f03f')).readDouble(), 1);
  assert.throws(() => new ProtoReader(hex('01020304050607')).readFixed64(), badRequest('unexpected EOF'));
  assert.throws(() => new ProtoReader(hex('010203')).readFixed32(), badRequest('unexpected EOF'));
});

const skips = [
  { name: 'varint', wireType: 0, bytes: 'ac02ff', rest: 1 },
  { name: 'fixed64', wireType: 1, bytes: '0102030405060708ff', rest: 1 },
  { name: 'length-delimited', wireType: 2, bytes: '02aabbff', rest: 1 },
  { name: 'fixed32', wireType: 5, bytes: '01020304ff', rest: 1 },
  { name: 'group with nested group', wireType: 3, bytes: '0801 13 1001 14 0c ff', rest: 1 },
];
for (const c of skips) {
  test(`ProtoReader.skip: ${c.name}`, () => {
    const input = hex(c.bytes);
    const r = new ProtoReader(input);
    r.skip(c.wireType);
    assert.equal(input.length - r.pos, c.rest);
  });
}

const badSkips = [
  { name: 'illegal wire type 6', wireType: 6, bytes: '00', want: 'proto: illegal wireType 6' },
  { name: 'illegal wire type 7', wireType: 7, bytes: '00', want: 'proto: illegal wireType 7' },
  { name: 'end group with no group', wireType: 4, bytes: '00', want: 'proto: unexpected end of group' },
  { name: 'unterminated group', wireType: 3, bytes: '0801', want: 'unexpected EOF' },
  { name: 'truncated fixed64', wireType: 1, bytes: '0102', want: 'unexpected EOF' },
  { name: 'truncated fixed32', wireType: 5, bytes: '01', want: 'unexpected EOF' },
];
for (const c of badSkips) {
  test(`ProtoReader.skip rejects: ${c.name}`, () => {
    assert.throws(() => new ProtoReader(hex(c.bytes)).skip(c.wireType), badRequest(c.want));
  });
}

const writes = [
  { name: 'varint 300', write: (w: ProtoWriter) => w.varint(300), want: 'ac02' },
  { name: 'varint 2^53-1', write: (w: ProtoWriter) => w.varint(2 ** 53 - 1), want: 'ffffffffffffff0f' },
  { name: 'int64 -1', write: (w: ProtoWriter) => w.int64(-1), want: 'ffffffffffffffffff01' },
  { name: 'bigVarint uint64 max', write: (w: ProtoWriter) => w.bigVarint(2n ** 64n - 1n), want: 'ffffffffffffffffff01' },
  { name: 'fixed64', write: (w: ProtoWriter) => w.fixed64(0x0102030405060708n), want: '0807060504030201' },
  { name: 'string field', write: (w: ProtoWriter) => w.stringField(2, 'é'), want: '1202c3a9' },
  { name: 'growth past the initial capacity', write: (w: ProtoWriter) => w.bytesField(1, new Uint8Array(100)), want: '0a64' + '00'.repeat(100) },
];
for (const c of writes) {
  test(`ProtoWriter: ${c.name}`, () => {
    const w = new ProtoWriter(1);
    c.write(w);
    assert.equal(toHex(w.finish()), c.want);
  });
}

test('varintSize and int64VarintSize agree with the writer', () => {
  const values = [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 35 - 1, 2 ** 35, 2 ** 42, 2 ** 49, 2 ** 53 - 1];
  for (const v of values) {
    const w = new ProtoWriter();
    w.varint(v);
    assert.equal(varintSize(v), w.pos, `varint ${v}`);
  }
  assert.equal(int64VarintSize(-5), 10);
});
