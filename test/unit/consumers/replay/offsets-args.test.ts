import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  OFFSETS_RESET_COMMAND, activeMembersError, clampOffset, formatOffsetsTable, parseOffsetsResetArgs,
} from '../../../../consumers/replay/offsets-args.js';
import { splitCommandArgs } from '../../../../platform/runtime/command-args.js';

const parse = (...argv: string[]) => parseOffsetsResetArgs(splitCommandArgs(OFFSETS_RESET_COMMAND, argv));

test('parseOffsetsResetArgs: each kind of target', () => {
  assert.deepEqual(parse('--group', 'g', '--partitions', 'all', '--to-latest').target, { kind: 'latest' });
  assert.deepEqual(parse('--group', 'g', '--partitions', 'all', '--to-earliest').target, { kind: 'earliest' });
  assert.deepEqual(parse('--group', 'g', '--partitions', '1', '--to-offset', '7').target, { kind: 'offset', offset: 7 });
  assert.deepEqual(parse('--group', 'g', '--partitions', '1', '--to-time', '10').target, { kind: 'time', tsNs: 10_000_000_000n });
  assert.equal(parse('--group', 'g', '--partitions', '1', '--to-latest', '--dry-run').dryRun, true);
});

test('parseOffsetsResetArgs: refusals', () => {
  assert.throws(() => parse('--partitions', 'all', '--to-latest'), /--group is required/);
  assert.throws(() => parse('--group', 'a b', '--partitions', 'all', '--to-latest'), /is not a consumer group name/);
  assert.throws(() => parse('--group', 'g', '--partitions', 'all'), /give one of --to-offset, --to-time, --to-earliest, --to-latest/);
  assert.throws(() => parse('--group', 'g', '--partitions', 'all', '--to-latest', '--to-earliest'), /give only one of/);
});

const clampCases = [
  { name: 'inside', offset: 5, want: 5, note: false },
  { name: 'before the start', offset: 1, want: 3, note: true },
  { name: 'at the end (nothing left to consume)', offset: 10, want: 10, note: false },
  { name: 'past the end', offset: 11, want: 10, note: true },
];
for (const c of clampCases) {
  test(`clampOffset: ${c.name}`, () => {
    const got = clampOffset(c.offset, { partition: 0, start: 3, end: 10 });
    assert.equal(got.offset, c.want);
    assert.equal(got.note !== null, c.note);
  });
}

test('activeMembersError: none for an empty group; names the members otherwise', () => {
  assert.equal(activeMembersError({ groupId: 'g', state: 'Empty', members: [] }), null);
  const err = activeMembersError({ groupId: 'g', state: 'Stable', members: [{ memberId: 'm', clientId: 'http://a:3100', partitions: [0] }] });
  assert.equal(err?.message, 'group g has 1 active member (http://a:3100); stop them before resetting its offsets');
});

test('formatOffsetsTable: aligned columns; lag from the committed (or new) offset', () => {
  assert.deepEqual(formatOffsetsTable([
    { partition: 0, committed: 5, start: 0, end: 12, owner: 'http://a:3100' },
    { partition: 10, committed: null, start: 2, end: 4, owner: null },
  ]), [
    'PARTITION  COMMITTED  START  END  LAG  OWNER',
    '0          5          0      12   7    http://a:3100',
    '10         -          2      4    2    -',
  ]);
  assert.deepEqual(formatOffsetsTable([{ partition: 0, committed: 5, next: 12, start: 0, end: 12, owner: null }]), [
    'PARTITION  COMMITTED  NEW  START  END  LAG  OWNER',
    '0          5          12   0      12   0    -',
  ]);
});
