/** Merging and pruning pattern series as Loki's pattern querier does. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergePatterns, prunePatterns, type PatternResult } from '../../../../query/engine/pattern-merge.js';

const s = (pattern: string, level: string, samples: Array<[number, number]>): PatternResult => ({ pattern, level, samples });

const mergeCases: ReadonlyArray<{ name: string; lists: PatternResult[][]; want: PatternResult[] }> = [
  {
    name: 'one pattern of two streams: counts summed per bucket, buckets in time order',
    lists: [[s('GET <_>', 'info', [[20_000, 2], [0, 1]])], [s('GET <_>', 'info', [[10_000, 4], [20_000, 3]])]],
    want: [s('GET <_>', 'info', [[0, 1], [10_000, 4], [20_000, 5]])],
  },
  {
    name: 'the same pattern at two levels stays two series',
    lists: [[s('x <_>', 'info', [[0, 1]]), s('x <_>', 'error', [[0, 2]])]],
    want: [s('x <_>', 'error', [[0, 2]]), s('x <_>', 'info', [[0, 1]])],
  },
  {
    name: 'largest total first, ties by pattern',
    lists: [[s('b', 'info', [[0, 3]]), s('a', 'info', [[0, 3]]), s('c', 'info', [[0, 9]])]],
    want: [s('c', 'info', [[0, 9]]), s('a', 'info', [[0, 3]]), s('b', 'info', [[0, 3]])],
  },
  { name: 'nothing in, nothing out', lists: [[], []], want: [] },
];
for (const c of mergeCases) test(`mergePatterns: ${c.name}`, () => assert.deepEqual(mergePatterns(c.lists), c.want));

test('prunePatterns: fewer than 30 lines dropped, at most 300 kept, largest first', () => {
  const many = Array.from({ length: 310 }, (_, i) => s(`p${i}`, 'info', [[0, 30 + i]]));
  const out = prunePatterns([s('small', 'info', [[0, 29]]), ...many]);
  assert.equal(out.length, 300);
  assert.equal(out[0]?.pattern, 'p309');
  assert.equal(out[299]?.pattern, 'p10');
  assert.ok(!out.some((p) => p.pattern === 'small'));
  assert.deepEqual(prunePatterns([s('edge', 'info', [[0, 10], [10_000, 20]])]).map((p) => p.pattern), ['edge']);
});
