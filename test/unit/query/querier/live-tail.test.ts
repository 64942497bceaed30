import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import { framesOf } from '../../../../query/querier/live-tail.js';
import { TailInbox } from '../../../../query/querier/ingester-tail.js';

const stream = (app: string, n: number) => ({
  labels: labelsFromObject({ app }),
  entries: Array.from({ length: n }, (_, i) => ({ tsNs: BigInt(i), line: `${app}${i}`, structuredMetadata: [], parsed: [] })),
});

const cases = [
  { name: 'nothing', streams: [], want: [] },
  { name: 'one stream that fits', streams: [stream('a', 2)], want: [[['a', 2]]] },
  { name: 'a stream split at the bound', streams: [stream('a', 5)], want: [[['a', 2]], [['a', 2]], [['a', 1]]] },
  { name: 'streams packed into frames', streams: [stream('a', 1), stream('b', 2)], want: [[['a', 1], ['b', 1]], [['b', 1]]] },
];
for (const c of cases) {
  test(`framesOf: ${c.name}`, () => {
    const frames = framesOf(c.streams, 2);
    assert.deepEqual(frames.map((f) => f.streams.map((s) => [s.labels[0]?.value, s.entries.length])), c.want);
    assert.deepEqual(frames.flatMap((f) => f.streams.flatMap((s) => s.entries.map((e) => e.line))), c.streams.flatMap((s) => s.entries.map((e) => e.line)));
  });
}

test('TailInbox: batches wait until taken; past the bound they are reported as dropped', async () => {
  const inbox = new TailInbox(3);
  inbox.push({ tenant: 't', labelsText: '{a="1"}', entries: [['1', 'x'], ['2', 'y']] });
  inbox.push({ tenant: 't', labelsText: '{a="1"}', entries: [['3', 'z'], ['4', 'w']] });
  const got = await inbox.take(new AbortController().signal);
  assert.equal(got.batches.length, 1);
  assert.deepEqual(got.dropped.map((d) => d.tsNs), [3n, 4n]);
  const aborted = new AbortController();
  const waiting = inbox.take(aborted.signal);
  aborted.abort();
  assert.deepEqual(await waiting, { batches: [], dropped: [] });
});
