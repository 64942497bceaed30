import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPLAY_COMMAND, parseReplayArgs, resolveRange } from '../../../../consumers/replay/replay-args.js';
import { splitCommandArgs } from '../../../../platform/runtime/command-args.js';
import { isFjordError } from '../../../../schemas/index.js';

const parse = (...argv: string[]) => parseReplayArgs(splitCommandArgs(REPLAY_COMMAND, argv));

test('parseReplayArgs: offsets, times and the default end', () => {
  assert.deepEqual(parse('--partitions', 'all', '--from-offset', '10'), { partitions: { kind: 'all' }, from: { kind: 'offset', offset: 10 }, to: { kind: 'end' } });
  assert.deepEqual(parse('--partitions', '0,1', '--from-time', '1714557600', '--to-offset', '99'), {
    partitions: { kind: 'list', partitions: [0, 1] }, from: { kind: 'time', tsNs: 1_714_557_600_000_000_000n }, to: { kind: 'offset', offset: 99 },
  });
  assert.deepEqual(parse('--partitions', '3', '--from-offset', '0', '--to-time', '2024-05-01T10:00:00Z').to, { kind: 'time', tsNs: 1_714_557_600_000_000_000n });
});

const bad = [
  { name: 'no partitions', argv: ['--from-offset', '0'], want: /--partitions is required/ },
  { name: 'no start', argv: ['--partitions', 'all'], want: /give one of --from-offset, --from-time/ },
  { name: 'two starts', argv: ['--partitions', 'all', '--from-offset', '0', '--from-time', '1'], want: /give only one of/ },
  { name: 'two ends', argv: ['--partitions', 'all', '--from-offset', '0', '--to-offset', '1', '--to-time', '1'], want: /give only one of --to-offset, --to-time/ },
  { name: 'a bad offset', argv: ['--partitions', 'all', '--from-offset', '-3'], want: /is not an offset/ },
];
for (const c of bad) {
  test(`parseReplayArgs refuses ${c.name}`, () => assert.throws(() => parse(...c.argv), (e) => isFjordError(e, 'invalid_argument') && c.want.test(e.message)));
}

const ranges = [
  { name: 'inside the partition', from: 5, to: 8, want: [5, 8], notes: 0 },
  { name: 'start before the first offset held', from: 0, to: 8, want: [3, 8], notes: 1 },
  { name: 'end past the end', from: 5, to: 50, want: [5, 10], notes: 1 },
  { name: 'end before start: empty', from: 8, to: 5, want: [8, 8], notes: 0 },
  { name: 'start past the end: empty', from: 20, to: 30, want: [20, 20], notes: 1 },
];
for (const c of ranges) {
  test(`resolveRange: ${c.name}`, () => {
    const got = resolveRange({ partition: 2, start: 3, end: 10 }, c.from, c.to);
    assert.deepEqual([got.fromOffset, got.toOffset], c.want);
    assert.equal(got.notes.length, c.notes);
    assert.equal(got.partition, 2);
  });
}
