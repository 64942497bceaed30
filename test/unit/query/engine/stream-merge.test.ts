import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineOf } from '../../../../query/engine/entry-block.js';
import { mergeStreamEntries } from '../../../../query/engine/stream-merge.js';
import { makeBlock } from './blocks.js';

function merged(blocks: ReturnType<typeof makeBlock>[], from = 0n, to = 1000n) {
  const out: string[] = [];
  const dups = mergeStreamEntries(blocks, from, to, (b, i, ts) => out.push(`${ts}:${Buffer.from(lineOf(b, i)).toString()}`));
  return { out, dups };
}

const cases = [
  {
    name: 'one block in range',
    blocks: [makeBlock([{ ts: 1n, line: 'a' }, { ts: 5n, line: 'b' }, { ts: 9n, line: 'c' }])],
    from: 2n, to: 9n, want: ['5:b'], dups: 0,
  },
  {
    name: 'interleaved blocks merge in time order',
    blocks: [makeBlock([{ ts: 1n, line: 'a' }, { ts: 4n, line: 'c' }]), makeBlock([{ ts: 2n, line: 'b' }, { ts: 6n, line: 'd' }])],
    from: 0n, to: 100n, want: ['1:a', '2:b', '4:c', '6:d'], dups: 0,
  },
  {
    name: 'identical entries from overlapping chunks are dropped',
    blocks: [makeBlock([{ ts: 1n, line: 'a' }, { ts: 2n, line: 'b' }]), makeBlock([{ ts: 2n, line: 'b' }, { ts: 3n, line: 'c' }])],
    from: 0n, to: 100n, want: ['1:a', '2:b', '3:c'], dups: 1,
  },
  {
    name: 'blocks given out of order and not overlapping are visited in time order',
    blocks: [makeBlock([{ ts: 7n, line: 'c' }, { ts: 9n, line: 'd' }]), makeBlock([{ ts: 1n, line: 'a' }, { ts: 3n, line: 'b' }])],
    from: 0n, to: 100n, want: ['1:a', '3:b', '7:c', '9:d'], dups: 0,
  },
  {
    name: 'a duplicate on the boundary of touching blocks is dropped',
    blocks: [makeBlock([{ ts: 1n, line: 'a' }, { ts: 5n, line: 'b' }]), makeBlock([{ ts: 5n, line: 'b' }, { ts: 8n, line: 'c' }]), makeBlock([{ ts: 20n, line: 'z' }])],
    from: 0n, to: 100n, want: ['1:a', '5:b', '8:c', '20:z'], dups: 1,
  },
  {
    name: 'distinct lines at the same timestamp are all kept',
    blocks: [makeBlock([{ ts: 2n, line: 'x' }]), makeBlock([{ ts: 2n, line: 'y' }])],
    from: 0n, to: 100n, want: ['2:x', '2:y'], dups: 0,
  },
  {
    name: 'same line, different structured metadata, is not a duplicate',
    blocks: [makeBlock([{ ts: 2n, line: 'x', sm: [{ name: 'k', value: '1' }] }]), makeBlock([{ ts: 2n, line: 'x', sm: [{ name: 'k', value: '2' }] }])],
    from: 0n, to: 100n, want: ['2:x', '2:x'], dups: 0,
  },
];
for (const c of cases) {
  test(`mergeStreamEntries: ${c.name}`, () => {
    const r = merged(c.blocks, c.from, c.to);
    assert.deepEqual(r.out, c.want);
    assert.equal(r.dups, c.dups);
  });
}
