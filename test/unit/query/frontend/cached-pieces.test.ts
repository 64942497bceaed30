/**
 * The results cache keeps only whole pieces: a metric piece that carries a warning (a partial
 * answer, or Logs Drilldown's first series) is answered but not stored, so a later query does not
 * get the gap as if whole; a concurrent identical piece shares the computed answer with its warning.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import { emptyStats, partialIngesterWarning, partialSeriesWarning } from '../../../../query/engine/query-backend.js';
import { CachedPieces, isStorable, type CacheOutcome } from '../../../../query/frontend/cached-pieces.js';
import type { PieceResult } from '../../../../query/frontend/piece.js';
import { InMemoryResultsCache } from '../../../../query/frontend/results-cache.js';
import type { MetricResult } from '../../../../query/logql/index.js';

const matrix: MetricResult = { resultType: 'matrix', result: [{ metric: labelsFromObject({ app: 'a' }), values: [[1, 2]] }] };
const metric = (warnings: string[]): PieceResult => ({ kind: 'metric', result: matrix, stats: emptyStats(), warnings, shard: null });

const storable: Array<{ name: string; result: PieceResult; want: boolean }> = [
  { name: 'a whole metric piece', result: metric([]), want: true },
  { name: 'a partial answer', result: metric([partialIngesterWarning([3])]), want: false },
  { name: 'Logs Drilldown\'s first series', result: metric([partialSeriesWarning(1)]), want: false },
  { name: 'a log piece', result: { kind: 'log', streams: [], stats: emptyStats(), warnings: [] }, want: false },
];
for (const c of storable) test(`isStorable: ${c.name}`, () => assert.equal(isStorable(c.result), c.want));

test('CachedPieces: a warned piece is answered with its warning and computed again next time; a whole one is then served from the cache', async () => {
  const cache = new InMemoryResultsCache(1 << 20);
  const pieces = new CachedPieces(cache);
  const outcomes: CacheOutcome[] = [];
  let computed = 0;
  const answers = [metric([partialIngesterWarning([3])]), metric([])];
  const compute = async () => ({ result: answers[computed++] as PieceResult, queueMs: 0 });
  const first = await pieces.run('k', compute, (o) => outcomes.push(o));
  assert.deepEqual(first.result.kind === 'metric' && first.result.warnings, [partialIngesterWarning([3])]);
  assert.equal(await cache.get('k'), undefined, 'the partial piece was not stored');
  const second = await pieces.run('k', compute, (o) => outcomes.push(o));
  assert.deepEqual(second.result.kind === 'metric' && second.result.warnings, []);
  const third = await pieces.run('k', compute, (o) => outcomes.push(o));
  assert.deepEqual(third.result.kind === 'metric' && third.result.result, matrix);
  assert.deepEqual(outcomes, ['miss', 'miss', 'hit']);
  assert.equal(computed, 2);
});

test('CachedPieces: an identical piece running at the same time shares the answer, warning included', async () => {
  const pieces = new CachedPieces(new InMemoryResultsCache(1 << 20));
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const compute = async () => {
    await gate;
    return { result: metric([partialIngesterWarning([1])]), queueMs: 0 };
  };
  const outcomes: CacheOutcome[] = [];
  const a = pieces.run('k', compute, (o) => outcomes.push(o));
  await new Promise((r) => setImmediate(r));
  const b = pieces.run('k', compute, (o) => outcomes.push(o));
  release();
  const [ra, rb] = await Promise.all([a, b]);
  assert.deepEqual(outcomes, ['miss', 'shared']);
  for (const r of [ra, rb]) assert.deepEqual(r.result.kind === 'metric' && r.result.warnings, [partialIngesterWarning([1])]);
});
