/** The querier's LRU cache: bounded by size, and what it reports to its observer (Loki's cache metrics). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LruCache, type CacheObserver } from '../../../../query/querier/lru-cache.js';

function recorder(): { observer: CacheObserver; events: string[] } {
  const events: string[] = [];
  return {
    events,
    observer: {
      lookup: (hit) => events.push(hit ? 'hit' : 'miss'),
      added: () => events.push('added'),
      evicted: (reason) => events.push(`evicted ${reason}`),
      size: (entries, bytes) => events.push(`size ${entries} ${bytes}`),
    },
  };
}

const steps = [
  { name: 'a miss', run: (c: LruCache<string, string>) => c.get('a'), want: ['miss'] },
  { name: 'a new key', run: (c: LruCache<string, string>) => c.set('a', 'xxxx'), want: ['added', 'size 1 4'] },
  { name: 'a hit', run: (c: LruCache<string, string>) => c.get('a'), want: ['hit'] },
  { name: 'overwriting a key', run: (c: LruCache<string, string>) => c.set('a', 'yyyy'), want: ['evicted replaced', 'size 1 4'] },
  { name: 'a second key that fits', run: (c: LruCache<string, string>) => c.set('b', 'zzzz'), want: ['added', 'size 2 8'] },
  { name: 'a third key pushes out the least recently used', run: (c: LruCache<string, string>) => c.set('c', 'wwww'), want: ['added', 'evicted full', 'size 2 8'] },
  { name: 'the evicted key is gone', run: (c: LruCache<string, string>) => c.get('a'), want: ['miss'] },
  { name: 'a value larger than the cache is not kept', run: (c: LruCache<string, string>) => c.set('d', 'x'.repeat(9)), want: ['size 2 8'] },
  { name: 'delete', run: (c: LruCache<string, string>) => c.delete('b'), want: ['size 1 4'] },
];

test('LruCache: each operation and what it reports', () => {
  const { observer, events } = recorder();
  const evicted: string[] = [];
  const cache = new LruCache<string, string>(8, (v) => v.length, (k) => evicted.push(k), observer);
  for (const s of steps) {
    events.length = 0;
    s.run(cache);
    assert.deepEqual(events, s.want, s.name);
  }
  assert.deepEqual(evicted, ['a']);
  assert.deepEqual([cache.count, cache.sizeBytes(), cache.has('c')], [1, 4, true]);
});
