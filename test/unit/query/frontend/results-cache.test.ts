/** Results cache: only pieces older than max_cache_freshness_per_query are cached; byte bound with LRU eviction. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import type { MetricResult } from '../../../../query/logql/index.js';
import { InMemoryResultsCache, isCacheable, resultBytes, resultsCacheKey } from '../../../../query/frontend/results-cache.js';

const MIN_MS = 60_000;
const NOW_MS = 1_700_000_000_000;
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

const freshness: Array<{ name: string; endMs: number; maxFreshMs: number; want: boolean }> = [
  { name: 'older than the freshness window', endMs: NOW_MS - 11 * MIN_MS, maxFreshMs: 10 * MIN_MS, want: true },
  { name: 'exactly at the edge', endMs: NOW_MS - 10 * MIN_MS, maxFreshMs: 10 * MIN_MS, want: true },
  { name: 'inside the recent, still-changing range', endMs: NOW_MS - 9 * MIN_MS, maxFreshMs: 10 * MIN_MS, want: false },
  { name: 'in the future', endMs: NOW_MS + MIN_MS, maxFreshMs: 0, want: false },
  { name: 'freshness 0: anything in the past', endMs: NOW_MS, maxFreshMs: 0, want: true },
];
for (const c of freshness) test(`isCacheable: ${c.name}`, () => assert.equal(isCacheable(ns(c.endMs), NOW_MS, c.maxFreshMs), c.want));

const matrix = (n: number): MetricResult => ({ resultType: 'matrix', result: [{ metric: labelsFromObject({ app: 'a' }), values: Array.from({ length: n }, (_, i) => [i, i] as const) }] });

test('key: tenants, query, step and piece bounds', () => {
  assert.equal(resultsCacheKey('a|b', 'rate({x="y"}[1m])', 15n, 100n, 200n), 'a|b:rate({x="y"}[1m]):15:100:200');
});

test('get after set; the least recently used is evicted past the byte bound', async () => {
  const one = resultBytes(matrix(10)) + 2 * 'k1'.length;
  const cache = new InMemoryResultsCache(one * 2 + 10);
  await cache.set('k1', matrix(10));
  await cache.set('k2', matrix(10));
  assert.deepEqual(await cache.get('k1'), matrix(10));
  await cache.set('k3', matrix(10));
  assert.equal(await cache.get('k2'), undefined);
  assert.ok(await cache.get('k1'));
  assert.ok(await cache.get('k3'));
  assert.ok(cache.size <= one * 2 + 10);
});

test('a result larger than the whole cache is not stored', async () => {
  const cache = new InMemoryResultsCache(100);
  await cache.set('big', matrix(1000));
  assert.equal(await cache.get('big'), undefined);
  assert.equal(cache.size, 0);
});
