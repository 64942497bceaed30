import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replayProgressText, replaySummaryLines } from '../../../../consumers/replay/progress.js';
import type { PartitionReplayState } from '../../../../consumers/replay/replay.js';

function state(over: Partial<PartitionReplayState>): PartitionReplayState {
  return { partition: 0, fromOffset: 0, toOffset: 100, nextOffset: 0, records: 0, malformed: 0, entries: 0, chunks: 0, startedMs: null, finishedMs: null, ...over };
}

test('replayProgressText: the partition in progress with its rate and ETA, and the totals', () => {
  const states = [
    state({ partition: 0, nextOffset: 100, records: 100, chunks: 3, startedMs: 0, finishedMs: 1000 }),
    state({ partition: 1, nextOffset: 25, records: 25, startedMs: 1000 }),
    state({ partition: 2 }),
  ];
  assert.equal(
    replayProgressText(states, 2000, 0),
    'replay: p1 offset 25/100 25/100 records (25%) 25/s ETA 3.0s | 125 records, 3 chunks, 2 of 3 partitions left, 2.0s',
  );
});

test('replayProgressText: all done shows the last partition', () => {
  const states = [state({ partition: 4, fromOffset: 10, toOffset: 10, nextOffset: 10, startedMs: 0, finishedMs: 5 })];
  assert.equal(replayProgressText(states, 10, 0), 'replay: p4 offset 10/10 0/0 records (100%) done in 5ms | 0 records, 0 chunks, 0 of 1 partitions left, 10ms');
});

test('replaySummaryLines: a line per partition and the totals', () => {
  const lines = replaySummaryLines([state({ nextOffset: 100, records: 100, entries: 400, chunks: 2, startedMs: 0, finishedMs: 1 }), state({ partition: 1, records: 3 })], 5, 2000, true);
  assert.deepEqual(lines, [
    'partition 0: offsets 0..100 (exclusive), 100 records read, 400 entries, 0 malformed, 2 chunks',
    'partition 1: offsets 0..100 (exclusive), 3 records read, 0 entries, 0 malformed, 0 chunks (not finished)',
    'replay interrupted: 103 records, 2 chunks written, 5 index bundles uploaded in 2.0s (52/s)',
  ]);
});
