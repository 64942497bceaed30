import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../../../schemas/index.js';
import {
  chunkKey, chunkKeyPrefix, indexBundleKey, indexBundlePrefix, indexPeriod, indexPeriodsOverlapping, indexTableName,
  parseChunkKey, parseIndexBundleKey,
} from '../../../../schemas/index/index.js';

const DAY = 86_400_000_000_000n;
const invalidKey = (err: unknown) => isFjordError(err, 'invalid_object_key');

const chunkKeys = [
  {
    name: 'ordinary',
    parts: { tenant: 'team-a', fingerprint: '0123456789abcdef', fromNs: 1_714_564_800_000_000_000n, throughNs: 1_714_568_400_000_000_000n, checksum: 0xdeadbeef },
    key: 'team-a/chunks/0123456789abcdef/17cb5b99f8638000-17cb5ee0291c2000-deadbeef',
  },
  {
    name: 'small checksum and times are zero-padded',
    parts: { tenant: 'fake', fingerprint: 'ffffffffffffffff', fromNs: 0n, throughNs: 1n, checksum: 7 },
    key: 'fake/chunks/ffffffffffffffff/0000000000000000-0000000000000001-00000007',
  },
  {
    name: 'negative times as two\'s complement',
    parts: { tenant: 'x', fingerprint: '0000000000000000', fromNs: -1n, throughNs: 0n, checksum: 0 },
    key: 'x/chunks/0000000000000000/ffffffffffffffff-0000000000000000-00000000',
  },
];
for (const c of chunkKeys) {
  test(`chunkKey: ${c.name}`, () => {
    assert.equal(chunkKey(c.parts), c.key);
    assert.deepEqual(parseChunkKey(c.key), c.parts);
  });
}

test('chunkKey: keys of one stream sort by time', () => {
  const at = (fromNs: bigint) => chunkKey({ tenant: 't', fingerprint: '0123456789abcdef', fromNs, throughNs: fromNs + 10n, checksum: 1 });
  const keys = [at(1_000_000n), at(999n), at(1_714_564_800_000_000_000n)];
  assert.deepEqual([...keys].sort(), [keys[1], keys[0], keys[2]]);
});

const badChunkParts = [
  { name: 'tenant with a slash', parts: { tenant: 'a/b', fingerprint: '0123456789abcdef', fromNs: 0n, throughNs: 0n, checksum: 0 } },
  { name: 'tenant ..', parts: { tenant: '..', fingerprint: '0123456789abcdef', fromNs: 0n, throughNs: 0n, checksum: 0 } },
  { name: 'short fingerprint', parts: { tenant: 't', fingerprint: 'abc', fromNs: 0n, throughNs: 0n, checksum: 0 } },
  { name: 'uppercase fingerprint', parts: { tenant: 't', fingerprint: '0123456789ABCDEF', fromNs: 0n, throughNs: 0n, checksum: 0 } },
];
for (const c of badChunkParts) test(`chunkKey: ${c.name} is refused`, () => assert.throws(() => chunkKey(c.parts), invalidKey));

const badChunkKeys = ['', 't/chunks/0123456789abcdef/0-0-0', 't/chunk/0123456789abcdef/0000000000000000-0000000000000000-00000000', 'a/b/chunks/0123456789abcdef/0000000000000000-0000000000000000-00000000'];
for (const key of badChunkKeys) test(`parseChunkKey: ${JSON.stringify(key)} is refused`, () => assert.throws(() => parseChunkKey(key), invalidKey));

const periods = [
  { name: 'epoch', tsNs: 0n, want: 0 },
  { name: 'last ns of day 0', tsNs: DAY - 1n, want: 0 },
  { name: 'first ns of day 1', tsNs: DAY, want: 1 },
  { name: '2024-01-01 is index_19723', tsNs: 1_704_067_200_000_000_000n, want: 19723 },
  { name: 'before the epoch floors', tsNs: -1n, want: -1 },
];
for (const c of periods) test(`indexPeriod: ${c.name}`, () => assert.equal(indexPeriod(c.tsNs), c.want));

test('indexPeriodsOverlapping: a chunk across midnight is in both periods', () => {
  assert.deepEqual(indexPeriodsOverlapping(19723n * DAY - 1n, 19723n * DAY), [19722, 19723]);
  assert.deepEqual(indexPeriodsOverlapping(19723n * DAY, 19723n * DAY + 5n), [19723]);
});

test('indexTableName: Loki style', () => assert.equal(indexTableName('index_', 19723), 'index_19723'));

const bundleKeys = [
  { name: 'ordinary', parts: { period: 19723, tenant: 'team-a', bundleId: 'ingester-1-000042' }, key: 'index/19723/team-a/ingester-1-000042' },
  { name: 'compacted', parts: { period: 0, tenant: 'fake', bundleId: 'compacted.1714564800' }, key: 'index/0/fake/compacted.1714564800' },
];
for (const c of bundleKeys) {
  test(`indexBundleKey: ${c.name}`, () => {
    assert.equal(indexBundleKey(c.parts), c.key);
    assert.deepEqual(parseIndexBundleKey(c.key), c.parts);
  });
}

const badBundles = [
  { name: 'id with a slash', run: () => indexBundleKey({ period: 1, tenant: 't', bundleId: 'a/b' }) },
  { name: 'negative period', run: () => indexBundleKey({ period: -1, tenant: 't', bundleId: 'a' }) },
  { name: 'id ..', run: () => indexBundleKey({ period: 1, tenant: 't', bundleId: '..' }) },
  { name: 'parse: extra part', run: () => parseIndexBundleKey('index/1/t/a/b') },
  { name: 'parse: leading zero period', run: () => parseIndexBundleKey('index/01/t/a') },
];
for (const c of badBundles) test(`indexBundleKey: ${c.name} is refused`, () => assert.throws(c.run, invalidKey));

test('prefixes', () => {
  assert.equal(chunkKeyPrefix('t'), 't/chunks/');
  assert.equal(chunkKeyPrefix('t', '0123456789abcdef'), 't/chunks/0123456789abcdef/');
  assert.equal(indexBundlePrefix(19723), 'index/19723/');
  assert.equal(indexBundlePrefix(19723, 't'), 'index/19723/t/');
});
