import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  commandUsage, nsToMs, oneOf, parseOffsetArg, parsePartitionsArg, parseTimeArg, resolvePartitions, splitCommandArgs, type CommandSpec,
} from '../../../../platform/runtime/command-args.js';
import { isFjordError } from '../../../../schemas/index.js';

const spec: CommandSpec = {
  words: ['demo'],
  synopsis: '--from T [--all]',
  summary: 'A demo.',
  options: [
    { name: 'from', kind: 'value', placeholder: 'T', help: 'Start.' },
    { name: 'to', kind: 'value', placeholder: 'T', help: 'End.' },
    { name: 'all', kind: 'flag', help: 'Everything.' },
  ],
};

const splitCases = [
  { name: 'space and = forms, one or two dashes', argv: ['--from', '1', '-to=2', '--all'], options: { from: '1', to: '2', all: true }, config: [] as string[], help: false },
  { name: 'config flags are passed through in order', argv: ['-config.file=x.yaml', '--from=1', '-common.path-prefix', '/d'], options: { from: '1' }, config: ['-config.file=x.yaml', '-common.path-prefix', '/d'], help: false },
  { name: '-help', argv: ['-help'], options: {}, config: [], help: true },
  { name: 'values are trimmed', argv: ['--from', ' 5 '], options: { from: '5' }, config: [], help: false },
];
for (const c of splitCases) {
  test(`splitCommandArgs: ${c.name}`, () => {
    const got = splitCommandArgs(spec, c.argv);
    assert.deepEqual(Object.fromEntries(got.options), c.options);
    assert.deepEqual(got.configArgs, c.config);
    assert.equal(got.help, c.help);
  });
}

const splitErrors = [
  { name: 'a bare word', argv: ['extra'], message: /unexpected argument "extra"/ },
  { name: 'an option twice', argv: ['--from', '1', '--from', '2'], message: /--from given twice/ },
  { name: 'a missing value', argv: ['--from'], message: /--from needs a value/ },
  { name: 'an empty value', argv: ['--from='], message: /--from needs a value/ },
  { name: 'a value for a flag', argv: ['--all=yes'], message: /--all takes no value/ },
];
for (const c of splitErrors) {
  test(`splitCommandArgs refuses ${c.name}`, () => {
    assert.throws(() => splitCommandArgs(spec, c.argv), (e) => isFjordError(e, 'invalid_argument') && c.message.test(e.message));
  });
}

test('oneOf: at most one of a set, optionally required', () => {
  const args = splitCommandArgs(spec, ['--from', '1']);
  assert.equal(oneOf(args, ['from', 'to'], true), 'from');
  assert.equal(oneOf(splitCommandArgs(spec, []), ['from', 'to'], false), null);
  assert.throws(() => oneOf(splitCommandArgs(spec, []), ['from', 'to'], true), /give one of --from, --to/);
  assert.throws(() => oneOf(splitCommandArgs(spec, ['--from', '1', '--to', '2']), ['from', 'to'], true), /give only one of --from, --to/);
});

const timeCases = [
  { name: 'RFC3339 UTC', text: '2024-05-01T10:00:00Z', want: 1_714_557_600_000_000_000n },
  { name: 'RFC3339 with offset', text: '2024-05-01T12:00:00+02:00', want: 1_714_557_600_000_000_000n },
  { name: 'RFC3339 with ns fraction', text: '2024-05-01T10:00:00.000000123Z', want: 1_714_557_600_000_000_123n },
  { name: 'RFC3339 with ms fraction', text: '2024-05-01T10:00:00.5Z', want: 1_714_557_600_500_000_000n },
  { name: 'Unix seconds', text: '1714557600', want: 1_714_557_600_000_000_000n },
  { name: 'Unix seconds with a fraction', text: '1714557600.25', want: 1_714_557_600_250_000_000n },
  { name: 'Unix nanoseconds (more than 10 digits)', text: '1714557600000000001', want: 1_714_557_600_000_000_001n },
];
for (const c of timeCases) test(`parseTimeArg: ${c.name}`, () => assert.equal(parseTimeArg('from', c.text), c.want));

for (const bad of ['yesterday', '2024-05-01', '2024-05-01 10:00:00Z', '-5', '2024-13-45T99:00:00Z']) {
  test(`parseTimeArg refuses ${JSON.stringify(bad)}`, () => {
    assert.throws(() => parseTimeArg('from', bad), (e) => isFjordError(e, 'invalid_argument') && e.message.startsWith('--from: '));
  });
}

test('nsToMs floors, also before the epoch', () => {
  assert.equal(nsToMs(1_999_999n), 1);
  assert.equal(nsToMs(-1n), -1);
});

test('parseOffsetArg: non-negative integers only', () => {
  assert.equal(parseOffsetArg('to-offset', '42'), 42);
  for (const bad of ['-1', '1.5', 'x', '99999999999999999999']) assert.throws(() => parseOffsetArg('to-offset', bad), /is not an offset/);
});

const partitionCases = [
  { name: 'all', text: 'all', count: 3, want: [0, 1, 2] },
  { name: 'a list, sorted and de-duplicated', text: '2,0,2', count: 3, want: [0, 2] },
  { name: 'a range', text: '1-3,0', count: 4, want: [0, 1, 2, 3] },
];
for (const c of partitionCases) {
  test(`parsePartitionsArg + resolvePartitions: ${c.name}`, () => assert.deepEqual(resolvePartitions(parsePartitionsArg('partitions', c.text), c.count, 't'), c.want));
}

test('partitions: bad lists and missing partitions are refused', () => {
  assert.throws(() => parsePartitionsArg('partitions', 'x'), /is not "all" or a list of partitions/);
  assert.throws(() => parsePartitionsArg('partitions', '3-1'), /ends before it starts/);
  assert.throws(() => resolvePartitions(parsePartitionsArg('partitions', '0,5'), 2, 'logs'), /topic logs has 2 partitions \(0-1\); there is no partition 5/);
});

test('commandUsage: the usage line, the summary and every option', () => {
  const text = commandUsage(spec);
  assert.match(text, /^Usage: fjord demo --from T \[--all\] \[-config\.file=fjord\.yaml\]/);
  assert.match(text, /^ {2}--from T {3}Start\.$/m);
  assert.match(text, /^ {2}--all {6}Everything\.$/m);
});
