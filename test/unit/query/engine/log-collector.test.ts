import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import { LogCollector } from '../../../../query/engine/log-collector.js';

const a = labelsFromObject({ app: 'a' });
const b = labelsFromObject({ app: 'b' });
const result = (labels: typeof a, line: string) => ({ line, labels, streamLabels: labels, structuredMetadata: [], parsed: [] });

test('backward keeps the newest `limit` entries across streams, newest first per stream', () => {
  const c = new LogCollector(3, 'backward');
  for (const [labels, ts] of [[a, 1n], [b, 5n], [a, 7n], [b, 2n], [a, 9n]] as const) c.offer('', ts, result(labels, `l${ts}`));
  const out = c.streams().map((s) => [s.labels[0]?.value, s.entries.map((e) => e.tsNs)]);
  assert.deepEqual(out, [['a', [9n, 7n]], ['b', [5n]]]);
  assert.equal(c.isBeyond(4n), true);
  assert.equal(c.isBeyond(6n), false);
});

test('forward keeps the oldest', () => {
  const c = new LogCollector(2, 'forward');
  for (const ts of [5n, 1n, 3n, 9n]) c.offer('{app="a"}', ts, result(a, `l${ts}`));
  assert.deepEqual(c.streams()[0]?.entries.map((e) => e.tsNs), [1n, 3n]);
});

test('duplicates (same stream, time, line, labels) are dropped and counted', () => {
  const c = new LogCollector(10, 'backward');
  c.offer('{app="a"}', 1n, result(a, 'x'));
  c.offer('{app="a"}', 1n, result(a, 'x'));
  c.offer('{app="a"}', 1n, result(a, 'y'));
  assert.equal(c.size, 2);
  assert.equal(c.duplicates, 1);
});
