import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../../../schemas/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import {
  chunkRefRange, decodeChunkRefEntry, decodeIndexKey, decodeIndexLogValue, decodeSeriesValue, decodeUploadMarkValue,
  encodeChunkRefValue, encodeIndexKey, encodeIndexLogValue, encodeSeriesValue, encodeUploadMarkValue, indexKindRange,
  indexLogRangeAfter, postingRange, type IndexKey, type KeyRange,
} from '../../../../schemas/index/index.js';

const FP = fnv1a64Hex('{app="api"}');
const FP2 = fnv1a64Hex('{app="web"}');
const T = 1_714_564_800_000_000_000n;
const cmp = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b);
const inRange = (r: KeyRange, k: Uint8Array) => cmp(k, r.gte) >= 0 && cmp(k, r.lt) < 0;

const keys: Array<{ name: string; key: IndexKey }> = [
  { name: 'series', key: { kind: 'series', period: 19844, tenant: 'team-a', fingerprint: FP } },
  { name: 'posting', key: { kind: 'posting', period: 19844, tenant: 'team-a', name: 'app', value: 'api', fingerprint: FP } },
  { name: 'posting with NUL and unicode in the value', key: { kind: 'posting', period: 1, tenant: 't', name: 'x', value: 'a\0b\0\0ü', fingerprint: FP } },
  { name: 'posting with an empty value', key: { kind: 'posting', period: 1, tenant: 't', name: 'x', value: '', fingerprint: FP } },
  { name: 'chunk', key: { kind: 'chunk', period: 19844, tenant: 'team-a', fingerprint: FP, fromNs: T, throughNs: T + 5n, checksum: 0xfeedface } },
  { name: 'chunk before the epoch', key: { kind: 'chunk', period: 0, tenant: 't', fingerprint: FP, fromNs: -10n, throughNs: -1n, checksum: 0 } },
  { name: 'log', key: { kind: 'log', period: 19844, tenant: 'team-a', seq: 42n } },
  { name: 'upload mark', key: { kind: 'upload_mark', period: 19844, tenant: 'team-a' } },
];
for (const c of keys) test(`index key round trip: ${c.name}`, () => assert.deepEqual(decodeIndexKey(encodeIndexKey(c.key)), c.key));

const chunkAt = (fromNs: bigint, fp = FP): Uint8Array => encodeIndexKey({ kind: 'chunk', period: 1, tenant: 't', fingerprint: fp, fromNs, throughNs: fromNs + 1n, checksum: 1 });
const posting = (name: string, value: string): Uint8Array => encodeIndexKey({ kind: 'posting', period: 1, tenant: 't', name, value, fingerprint: FP });
const log = (seq: bigint, period = 1, tenant = 't'): Uint8Array => encodeIndexKey({ kind: 'log', period, tenant, seq });

const orders: Array<{ name: string; ascending: Uint8Array[] }> = [
  { name: 'chunk keys sort by time, negatives first', ascending: [chunkAt(-5n), chunkAt(-1n), chunkAt(0n), chunkAt(1n), chunkAt(T)] },
  { name: 'posting values sort by their bytes, NUL included', ascending: [posting('a', ''), posting('a', '\0'), posting('a', '\0\0'), posting('a', '\x01'), posting('a', 'b'), posting('a', 'ba')] },
  { name: 'posting names sort before their values', ascending: [posting('a', 'zzz'), posting('ab', ''), posting('b', '')] },
  { name: 'log keys sort by sequence number', ascending: [log(0n), log(1n), log(255n), log(256n), log(1n << 40n)] },
  { name: 'periods sort numerically', ascending: [log(5n, 2), log(0n, 10), log(0n, 256)] },
];
for (const c of orders) {
  test(`index key order: ${c.name}`, () => {
    for (let i = 1; i < c.ascending.length; i++) assert.ok(cmp(c.ascending[i - 1] as Uint8Array, c.ascending[i] as Uint8Array) < 0, `key ${i - 1} < key ${i}`);
  });
}

const ranges: Array<{ name: string; range: KeyRange; inside: Uint8Array[]; outside: Uint8Array[] }> = [
  { name: 'postings of a name', range: postingRange(1, 't', 'app'), inside: [posting('app', ''), posting('app', '\xff'), posting('app', 'x')], outside: [posting('ap', 'p'), posting('apps', ''), posting('b', '')] },
  { name: 'postings of a name and value', range: postingRange(1, 't', 'app', 'a'), inside: [posting('app', 'a')], outside: [posting('app', 'ab'), posting('app', 'a\0'), posting('app', '')] },
  { name: 'chunks of a series', range: chunkRefRange(1, 't', FP), inside: [chunkAt(-5n), chunkAt(T)], outside: [chunkAt(0n, FP2)] },
  { name: 'log after 41', range: indexLogRangeAfter(1, 't', 41n), inside: [log(42n), log(1n << 60n)], outside: [log(41n), log(0n), log(42n, 2), log(42n, 1, 'u')] },
  { name: 'log from the start', range: indexLogRangeAfter(1, 't', null), inside: [log(0n), log(7n)], outside: [log(0n, 0)] },
  { name: 'all series keys of a tenant', range: indexKindRange(1, 't', 'series'), inside: [encodeIndexKey({ kind: 'series', period: 1, tenant: 't', fingerprint: FP })], outside: [posting('a', 'b'), encodeIndexKey({ kind: 'series', period: 1, tenant: 'tt', fingerprint: FP })] },
];
for (const c of ranges) {
  test(`index key range: ${c.name}`, () => {
    for (const k of c.inside) assert.ok(inRange(c.range, k), 'inside');
    for (const k of c.outside) assert.ok(!inRange(c.range, k), 'outside');
  });
}

test('index values: series, chunk ref, log record, upload mark round trip', () => {
  const labels = [{ name: 'app', value: 'api' }, { name: 'env', value: 'prød' }];
  assert.deepEqual(decodeSeriesValue(encodeSeriesValue(labels)), labels);
  const chunk = { fingerprint: FP, fromNs: T, throughNs: T + 99n, checksum: 7, compressedBytes: 1234, uncompressedBytes: 99999, entries: 12 };
  const key = encodeIndexKey({ kind: 'chunk', period: 19844, tenant: 't', fingerprint: FP, fromNs: T, throughNs: T + 99n, checksum: 7 });
  assert.deepEqual(decodeChunkRefEntry(key, encodeChunkRefValue(chunk)), chunk);
  const rec = { series: { fingerprint: FP, labels }, chunk };
  assert.deepEqual(decodeIndexLogValue(encodeIndexLogValue(rec)), rec);
  assert.equal(decodeUploadMarkValue(encodeUploadMarkValue(1234567890123n)), 1234567890123n);
});

const corrupt: Array<{ name: string; run: () => unknown }> = [
  { name: 'not an index key', run: () => decodeIndexKey(Uint8Array.of(0x00, 1)) },
  { name: 'unknown kind', run: () => decodeIndexKey(Uint8Array.of(0x69, 0, 0, 0, 1, 1, 0x74, 99)) },
  { name: 'truncated key', run: () => decodeIndexKey(encodeIndexKey(keys[4]?.key as IndexKey).subarray(0, 20)) },
  { name: 'trailing bytes in a key', run: () => decodeIndexKey(Uint8Array.from([...encodeIndexKey(keys[6]?.key as IndexKey), 0])) },
  { name: 'bad escape in a posting', run: () => decodeIndexKey(Uint8Array.of(0x69, 0, 0, 0, 1, 1, 0x74, 2, 0x61, 0, 7)) },
  { name: 'truncated log value', run: () => decodeIndexLogValue(encodeIndexLogValue({ series: { fingerprint: FP, labels: [] }, chunk: { fingerprint: FP, fromNs: 0n, throughNs: 1n, checksum: 0, compressedBytes: 1, uncompressedBytes: 1, entries: 1 } }).subarray(0, 12)) },
  { name: 'short upload mark', run: () => decodeUploadMarkValue(Uint8Array.of(1, 2)) },
  { name: 'chunk value for a series key', run: () => decodeChunkRefEntry(encodeIndexKey(keys[0]?.key as IndexKey), Uint8Array.of(1, 1, 1)) },
];
for (const c of corrupt) test(`index keys: ${c.name} is index_corrupt`, () => assert.throws(c.run, (err: unknown) => isFjordError(err, 'index_corrupt')));

test('index keys: a bad fingerprint or tenant is invalid_argument', () => {
  assert.throws(() => encodeIndexKey({ kind: 'series', period: 1, tenant: 't', fingerprint: 'zz' }), (err: unknown) => isFjordError(err, 'invalid_argument'));
  assert.throws(() => encodeIndexKey({ kind: 'upload_mark', period: 1, tenant: '' }), (err: unknown) => isFjordError(err, 'invalid_argument'));
});
