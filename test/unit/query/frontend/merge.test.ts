/**
 * Merging pieces (Loki's `mergeOrderedNonOverlappingStreams`, matrix merge): properties over
 * random data — splitting then merging gives what the unsplit query gives, for log queries in
 * both directions with limits, and for metric queries evaluated by the real LogQL evaluator.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import type { Direction, ResultEntry, ResultStream } from '../../../../query/engine/query-backend.js';
import { parseExpr, type SampleExpr } from '../../../../query/logql/index.js';
import { limitEntries, mergeLogPieces, mergeMatrixPieces, unionSeries, unionSorted } from '../../../../query/frontend/merge.js';
import { alignToStep, metricPieceRequestRange, splitByInterval, splitMetricRange } from '../../../../query/frontend/split.js';
import { FakeQueryBackend, type FakeStream } from '../../../helpers/fake-query-backend.js';
import { randomInt, seededRandom } from '../../../helpers/random.js';

const L = labelsFromObject;
const e = (tsNs: bigint, line: string): ResultEntry => ({ tsNs, line, structuredMetadata: [], parsed: [] });

test('mergeLogPieces: duplicates (same stream, time, line, metadata) kept once; distinct lines at one time kept', () => {
  const a = L({ app: 'a' });
  const got = mergeLogPieces([[{ labels: a, entries: [e(1n, 'x'), e(1n, 'y')] }], [{ labels: a, entries: [e(1n, 'x'), e(2n, 'z')] }]], 10, 'forward');
  assert.deepEqual(got.streams, [{ labels: a, entries: [e(1n, 'x'), e(1n, 'y'), e(2n, 'z')] }]);
  assert.equal(got.duplicates, 1);
});

test('limitEntries: ties broken by stream label text', () => {
  const got = limitEntries([{ labels: L({ app: 'b' }), entries: [e(5n, 'b5')] }, { labels: L({ app: 'a' }), entries: [e(5n, 'a5')] }], 1, 'backward');
  assert.deepEqual(got, [{ labels: L({ app: 'a' }), entries: [e(5n, 'a5')] }]);
});

function entriesIn(streams: readonly ResultStream[], start: bigint, end: bigint, direction: Direction): ResultStream[] {
  const fwd = direction === 'forward';
  return streams.map((s) => ({
    labels: s.labels,
    entries: s.entries.filter((x) => x.tsNs >= start && x.tsNs < end).sort((p, q) => (p.tsNs === q.tsNs ? 0 : (p.tsNs < q.tsNs) === fwd ? -1 : 1)),
  }));
}

test('property: split + merge of log queries equals the unsplit query (limits, both directions)', () => {
  const rand = seededRandom(3);
  for (let round = 0; round < 300; round++) {
    const streams: ResultStream[] = [];
    const nStreams = randomInt(rand, 1, 4);
    for (let s = 0; s < nStreams; s++) {
      const n = randomInt(rand, 0, 30);
      const times = new Set<number>();
      for (let i = 0; i < n; i++) times.add(randomInt(rand, 0, 1000));
      streams.push({ labels: L({ app: `s${s}` }), entries: [...times].sort((a, b) => a - b).map((t) => e(BigInt(t), `line ${t}`)) });
    }
    const start = BigInt(randomInt(rand, 0, 500));
    const end = start + BigInt(randomInt(rand, 1, 600));
    const limit = randomInt(rand, 1, 40);
    const direction: Direction = rand() < 0.5 ? 'forward' : 'backward';
    const interval = BigInt(randomInt(rand, 1, 300));
    const want = limitEntries(entriesIn(streams, start, end, direction), limit, direction);
    const ranges = splitByInterval(start, end, interval);
    if (direction === 'backward') ranges.reverse();
    const pieces = ranges.map((r) => limitEntries(entriesIn(streams, r.startNs, r.endNs, direction), limit, direction));
    assert.deepEqual(mergeLogPieces(pieces, limit, direction).streams, want, `round ${round}`);
  }
});

test('property: split + merge of metric range queries equals the unsplit query (real evaluator)', async () => {
  const rand = seededRandom(5);
  const S = 1_000_000_000n;
  const queries = [
    'sum by (app) (count_over_time({job="j"}[5m]))',
    'rate({job="j"}[2m])',
    'max_over_time({job="j"} | logfmt | unwrap v [10m])',
    'sum(bytes_over_time({job="j"}[90s])) / 2',
  ];
  let multiPiece = 0;
  let samples = 0;
  for (let round = 0; round < 40; round++) {
    const fake: FakeStream[] = [];
    for (const app of ['a', 'b', 'c']) {
      const entries = [];
      for (let i = 0; i < randomInt(rand, 0, 60); i++) {
        const t = BigInt(randomInt(rand, 0, 4 * 3600)) * S + BigInt(randomInt(rand, 0, 999));
        entries.push({ tsNs: t, line: `v=${randomInt(rand, 0, 100)}` });
      }
      fake.push({ labels: { job: 'j', app }, entries });
    }
    const backend = new FakeQueryBackend(fake);
    const query = queries[round % queries.length] as string;
    const expr = parseExpr(query) as SampleExpr;
    const step = BigInt(randomInt(rand, 10, 900)) * S;
    const aligned = alignToStep(BigInt(randomInt(rand, 0, 3600)) * S, BigInt(randomInt(rand, 3600, 4 * 3600)) * S, step);
    const signal = new AbortController().signal;
    const req = { tenants: ['fake'], query, expr, stepNs: step };
    const whole = await backend.metricQuery({ ...req, ...aligned }, signal);
    const pieces = splitMetricRange(aligned.startNs, aligned.endNs, step, BigInt(randomInt(rand, 5, 60)) * 60n * S, 0n);
    const parts = [];
    for (const p of pieces) parts.push((await backend.metricQuery({ ...req, ...metricPieceRequestRange(p, step) }, signal)).result);
    assert.deepEqual(mergeMatrixPieces(parts), mergeMatrixPieces([whole.result]), `round ${round}: ${query}`);
    if (pieces.length > 1) multiPiece++;
    if (whole.result.resultType === 'matrix') samples += whole.result.result.reduce((n, s) => n + s.values.length, 0);
  }
  assert.ok(multiPiece > 20, `only ${multiPiece} rounds were split`);
  assert.ok(samples > 500, `only ${samples} samples compared`);
});

test('unions: label values and series, each once, sorted', () => {
  assert.deepEqual(unionSorted([['b', 'a'], ['a', 'c']]), ['a', 'b', 'c']);
  assert.deepEqual(unionSeries([[L({ a: '2' }), L({ a: '1' })], [L({ a: '1' })]]), [L({ a: '1' }), L({ a: '2' })]);
});
