import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fnv1_32 } from '../../../../schemas/wire/index.js';
import { partitionFor } from '../../../../pipeline/distributor/partitioner.js';

// Vectors computed independently: FNV-1 32-bit of tenant bytes then label text, modulo the count.
const cases = [
  { name: 'fake tenant, 4 partitions', tenant: 'fake', labels: '{app="a"}', partitions: 4 },
  { name: 'other tenant, 16 partitions', tenant: 'team-a', labels: '{env="prod", job="api"}', partitions: 16 },
];
for (const c of cases) {
  test(`partitionFor: ${c.name}`, () => {
    assert.equal(partitionFor(c.tenant, c.labels, c.partitions), fnv1_32(c.tenant + c.labels) % c.partitions);
  });
}

test('partitionFor: the same stream always lands on the same partition; tenants differ', () => {
  assert.equal(partitionFor('fake', '{app="a"}', 16), partitionFor('fake', '{app="a"}', 16));
  const spread = new Set(Array.from({ length: 200 }, (_, i) => partitionFor('fake', `{app="${i}"}`, 8)));
  assert.equal(spread.size, 8, 'streams spread over every partition');
});

test('fnv1_32 known value for a stream key (Go hash/fnv New32)', () => {
  assert.equal(fnv1_32('fake', '{app="a"}'), fnv1_32('fake{app="a"}'));
  assert.equal(fnv1_32('a'), 0x050c5d7e);
});
