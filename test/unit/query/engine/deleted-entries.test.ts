import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deletesInRange, withoutDeleted, type QueryDelete } from '../../../../query/engine/deleted-entries.js';
import { lineOf, type StreamBlocks } from '../../../../query/engine/entry-block.js';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import { compileLogSelector } from '../../../../query/logql/index.js';
import { makeBlock } from './blocks.js';

const MS = 1_000_000n;
const labels = labelsFromObject({ app: 'api' });
const stream: StreamBlocks = {
  labels,
  key: '{app="api"}',
  blocks: [
    makeBlock([{ ts: 1n * MS, line: 'a secret' }, { ts: 2n * MS, line: 'b', sm: [{ name: 'k', value: 'v' }] }, { ts: 3n * MS, line: 'c secret' }]),
    makeBlock([{ ts: 10n * MS, line: 'd secret' }]),
  ],
};
const del = (query: string, startMs: number, endMs: number): QueryDelete => ({ interval: { startMs, endMs }, selector: compileLogSelector(query) });
const lines = (s: StreamBlocks) => s.blocks.map((b) => Array.from({ length: b.count }, (_, i) => Buffer.from(lineOf(b, i)).toString()));

const CASES = [
  { name: 'another stream: untouched', d: [del('{app="web"}', 0, 100)], want: [['a secret', 'b', 'c secret'], ['d secret']] },
  { name: 'a time range without a filter', d: [del('{app="api"}', 2, 3)], want: [['a secret'], ['d secret']] },
  { name: 'a line filter in a time range; an emptied block goes', d: [del('{app="api"} |= "secret"', 0, 10)], want: [['b']] },
  { name: 'two requests', d: [del('{app="api"} |= "a secret"', 0, 100), del('{app="api"}', 10, 10)], want: [['b', 'c secret']] },
] as const;
for (const c of CASES) {
  test(`withoutDeleted: ${c.name}`, () => assert.deepEqual(lines(withoutDeleted(stream, c.d)), c.want));
}

test('withoutDeleted: the same stream when nothing is deleted; metadata follows the kept entries', () => {
  assert.equal(withoutDeleted(stream, [del('{app="api"} |= "zzz"', 0, 100)]), stream);
  const out = withoutDeleted(stream, [del('{app="api"}', 1, 1)]);
  assert.deepEqual(out.blocks[0]?.structuredMetadata(0), [{ name: 'k', value: 'v' }]);
  assert.deepEqual(Array.from(out.blocks[0]?.tsNs ?? []), [2n * MS, 3n * MS]);
});

test('deletesInRange: requests overlapping [start, end)', () => {
  const d = [del('{a="b"}', 10, 20)];
  assert.equal(deletesInRange(d, 21n * MS, 30n * MS).length, 0);
  assert.equal(deletesInRange(d, 20n * MS, 30n * MS).length, 1);
  assert.equal(deletesInRange(d, 0n, 10n * MS).length, 0);
  assert.equal(deletesInRange(d, 0n, 10n * MS + 1n).length, 1);
});
