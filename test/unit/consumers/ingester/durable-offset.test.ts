/** The durability rule: commit up to the first record whose data is held only in memory. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { committableOffset } from '../../../../consumers/ingester/durable-offset.js';

const cases = [
  { name: 'nothing read, nothing held', next: 0, held: [], want: 0 },
  { name: 'everything read is durable', next: 120, held: [], want: 120 },
  { name: 'one open chunk from offset 40', next: 120, held: [40], want: 40 },
  { name: 'the lowest of several held pieces', next: 120, held: [90, 17, 55], want: 17 },
  { name: 'a chunk uploaded but not in an uploaded index bundle still holds', next: 120, held: [100, 60], want: 60 },
  { name: 'held from the next offset itself', next: 120, held: [120], want: 120 },
  { name: 'offset 0 held', next: 5, held: [0, 3], want: 0 },
];
for (const c of cases) test(`committableOffset: ${c.name}`, () => assert.equal(committableOffset(c.next, c.held), c.want));

test('committableOffset: takes any iterable (a set of first offsets)', () => {
  assert.equal(committableOffset(50, new Set([30, 10]).values()), 10);
});
