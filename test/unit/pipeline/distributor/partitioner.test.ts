import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fnv1_32 } from '../../../../schemas/wire/index.js';
import { partitionFor } from '../../../../pipeline/distributor/partitioner.js';

// Expected values from Go's hash/fnv New32 (FNV-1, 32-bit) over the tenant's then the labels'
// UTF-8 bytes, run once outside the repository; the partition is that hash modulo the count.
const cases = [
  { name: 'fake tenant, 4 partitions', tenant: 'fake', labels: '{app="a"}', partitions: 4, hash: 0xbd4504b7, want: 3 },
  { name: 'same stream, 16 partitions', tenant: 'fake', labels: '{app="a"}', partitions: 16, hash: 0xbd4504b7, want: 7 },
  { name: 'other tenant, 16 partitions', tenant: 'team-a', labels: '{env="prod", job="api"}', partitions: 16, hash: 0xe5ea017b, want: 11 },
  { name: 'anonymous tenant, 64 partitions', tenant: 'anonymous', labels: '{service_name="unknown_service"}', partitions: 64, hash: 0x74c6fb08, want: 8 },
  { name: 'non-ASCII label value (UTF-8 bytes)', tenant: 'fake', labels: '{app="ünï"}', partitions: 7, hash: 0x80965121, want: 1 },
  { name: 'empty tenant and labels', tenant: '', labels: '{}', partitions: 3, hash: 0x56770411, want: 1 },
];
for (const c of cases) {
  test(`partitionFor: ${c.name}`, () => {
    assert.equal(fnv1_32(c.tenant, c.labels), c.hash, 'hash');
    assert.equal(partitionFor(c.tenant, c.labels, c.partitions), c.want, 'partition');
  });
}

test('partitionFor: streams spread over every partition', () => {
  const spread = new Set(Array.from({ length: 200 }, (_, i) => partitionFor('fake', `{app="${i}"}`, 8)));
  assert.equal(spread.size, 8);
});

test('fnv1_32: the parts are hashed as one byte string (Go hash/fnv New32 of "a" is 0x050c5d7e)', () => {
  assert.equal(fnv1_32('fake', '{app="a"}'), fnv1_32('fake{app="a"}'));
  assert.equal(fnv1_32('a'), 0x050c5d7e);
});
