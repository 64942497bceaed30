/** Stream shards: the `<i>_of_<n>` text form and the membership rule floor(fp × n / 2^64) (FORMATS.md §9). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { fnv1a64Hex } from '../../../../schemas/wire/index.js';
import { formatShard, isInShard, parseShard, sameShard } from '../../../../schemas/labels/index.js';
import { seededRandom } from '../../../helpers/random.js';

const texts = [
  { name: 'first of two', text: '0_of_2', want: { index: 0, of: 2 } },
  { name: 'last of sixteen', text: '15_of_16', want: { index: 15, of: 16 } },
  { name: 'not a power of two', text: '4_of_100', want: { index: 4, of: 100 } },
];
for (const c of texts) {
  test(`parseShard: ${c.name}`, () => {
    assert.deepEqual(parseShard(c.text), c.want);
    assert.equal(formatShard(c.want), c.text);
  });
}

const bad = [
  { name: 'one shard is no sharding', text: '0_of_1' },
  { name: 'index past the count', text: '16_of_16' },
  { name: 'not numbers', text: 'a_of_b' },
  { name: 'count over 2^20', text: '0_of_2000000' },
  { name: 'empty', text: '' },
  { name: 'sign', text: '-1_of_4' },
  { name: 'Loki label form with spaces', text: '1 of 4' },
];
for (const c of bad) {
  test(`parseShard rejects: ${c.name}`, () => {
    assert.throws(() => parseShard(c.text), (e: unknown) => e instanceof FjordError && e.code === 'bad_request');
  });
}

const members = [
  { name: 'fingerprint 0 is in the first shard', fp: '0000000000000000', shard: { index: 0, of: 16 }, want: true },
  { name: 'the largest fingerprint is in the last shard', fp: 'ffffffffffffffff', shard: { index: 15, of: 16 }, want: true },
  { name: 'top bit set: second half of two', fp: '8000000000000000', shard: { index: 1, of: 2 }, want: true },
  { name: 'top bit clear: first half of two', fp: '7fffffffffffffff', shard: { index: 0, of: 2 }, want: true },
  { name: 'top four bits pick one of sixteen', fp: 'a123456789abcdef', shard: { index: 10, of: 16 }, want: true },
  { name: 'and not another', fp: 'a123456789abcdef', shard: { index: 11, of: 16 }, want: false },
  { name: 'a third of the space: just under 1/3', fp: '5555555555555555', shard: { index: 0, of: 3 }, want: true },
  { name: 'a third of the space: 1/3 rounded up', fp: '5555555555555556', shard: { index: 1, of: 3 }, want: true },
];
for (const c of members) test(`isInShard: ${c.name}`, () => assert.equal(isInShard(c.fp, c.shard), c.want));

test('isInShard: every fingerprint is in exactly one shard; powers of two use the top bits and nest', () => {
  const rand = seededRandom(7);
  for (let i = 0; i < 2000; i++) {
    const fp = fnv1a64Hex(`{app="a${Math.floor(rand() * 1e9)}"}`);
    for (const of of [2, 3, 5, 16, 100, 128]) {
      const hits = Array.from({ length: of }, (_, index) => index).filter((index) => isInShard(fp, { index, of }));
      assert.equal(hits.length, 1, `${fp} in ${of} shards`);
      if ((of & (of - 1)) === 0) {
        const bits = BigInt(Math.log2(of));
        assert.equal(hits[0], Number(BigInt(`0x${fp}`) >> (64n - bits)), `${fp}: top ${bits} bits`);
        if (of > 2) assert.ok(isInShard(fp, { index: (hits[0] as number) >> 1, of: of / 2 }), 'shard i of 2n lies in shard i/2 of n');
      }
    }
  }
});

const same = [
  { name: 'both absent', a: null, b: null, want: true },
  { name: 'one absent', a: { index: 0, of: 2 }, b: null, want: false },
  { name: 'equal', a: { index: 1, of: 4 }, b: { index: 1, of: 4 }, want: true },
  { name: 'other count', a: { index: 1, of: 4 }, b: { index: 1, of: 8 }, want: false },
];
for (const c of same) test(`sameShard: ${c.name}`, () => assert.equal(sameShard(c.a, c.b), c.want));
