/** Drain as Loki's pattern ingester runs it: lines in, templates and per-bucket counts out. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Drain, DRAIN_DEFAULTS, tokenizerFor, type DrainConfig, type LogFormat } from '../../../../consumers/patterns/index.js';
import { compileLineFilterPattern, testLineFilterPattern } from '../../../../query/logql/stages/pattern-expr.js';

const JSON_FIELDS = ['log', 'message', 'msg', 'msg_', '_msg', 'content'];

function trained(lines: readonly string[], format: LogFormat = 'unknown', cfg: DrainConfig = DRAIN_DEFAULTS): Drain {
  const d = new Drain(cfg, tokenizerFor(format, 3000, JSON_FIELDS));
  lines.forEach((l, i) => d.train(l, 1_700_000_000_000 + i * 1000, 0));
  return d;
}

function patterns(d: Drain): Array<[string, number]> {
  return [...d.all()].map((c) => [c.pattern(), c.samples.total] as [string, number]).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const cases: ReadonlyArray<{ name: string; lines: string[]; format?: LogFormat; want: Array<[string, number]> }> = [
  { name: 'a varying token becomes the placeholder', lines: ['test 1 test test', 'test 2 test test', 'test 3 test test', 'test 4 test test'], want: [['test <_> test test', 4]] },
  {
    name: 'different templates stay apart',
    lines: ['GET /api/users/12 200 12ms', 'GET /api/users/13 200 15ms', 'POST /api/orders 500 1ms'],
    want: [['GET <_> 200 <_>', 2], ['POST /api/orders 500 1ms', 1]],
  },
  {
    name: 'punctuation and = are tokens, spaces written back',
    lines: ['user=u1 action=login took 12ms', 'user=u2 action=login took 9ms'],
    want: [['user=<_> action=login took <_>', 2]],
  },
  {
    name: 'a differing word early in the line is a different template (the tree walks the leading tokens)',
    lines: ['user alice logged in now', 'user bob logged in now'],
    want: [['user alice logged in now', 1], ['user bob logged in now', 1]],
  },
  {
    name: 'placeholders apart stay apart',
    lines: ['request 1 2 3 done now', 'request 4 5 6 done now'],
    want: [['request <_> <_> <_> done now', 2]],
  },
  {
    name: 'json: adjacent placeholders collapse into one',
    format: 'json',
    lines: ['{"msg":"12 users online right now"}', '{"msg":"13 users online right now"}'],
    want: [['<_> users online right now<_>', 2]],
  },
  { name: 'fewer than 4 tokens are skipped', lines: ['too short line', 'too short line'], want: [] },
  { name: 'more than 80 tokens are skipped', lines: [Array.from({ length: 81 }, (_, i) => `w${i}`).join(' ')], want: [] },
  {
    name: 'logfmt: ts is a variable, values quoted as logfmt',
    format: 'logfmt',
    lines: ['ts=2024-05-30T12:50:36Z level=warn msg="error contacting scheduler" addr=10.0.151.101:9095', 'ts=2024-05-30T12:50:37Z level=warn msg="error contacting scheduler" addr=10.0.45.239:9095'],
    want: [['ts=<_> level=warn msg="error contacting scheduler" addr=<_>', 2]],
  },
  {
    name: 'json: the msg field between placeholders, raw',
    format: 'json',
    lines: ['{"level":"info","msg":"user 12 logged in from \\"web\\""}', '{"level":"info","msg":"user 13 logged in from \\"web\\""}'],
    want: [['<_>user <_> logged in from \\"web\\"<_>', 2]],
  },
  { name: 'json without a tokenizable field is skipped', format: 'json', lines: ['{"level":"info","count":3,"x":"y"}'], want: [] },
];

for (const c of cases) {
  test(`Drain: ${c.name}`, () => assert.deepEqual(patterns(trained(c.lines, c.format)), c.want));
}

test('Drain: every line matches its pattern as a |> line filter (Loki\'s matchability cases)', () => {
  const sets = [
    ['test 1 test test', 'test 2 test test', 'test 3 test test', 'test 4 test test'],
    ['test 1 test test\n', 'test 2 test test\n', 'test 3 test test\n', 'test 4 test test\n'],
    ['test 1 test test\t\t\t', 'test 2 test test\t\t\t', 'test 3 test test\t\t\t', 'test 4 test test\t\t\t'],
    ['\t\t\ttest 1 test test', '\t\t\ttest 2 test test', '\t\t\ttest 3 test test', '\t\t\ttest 4 test test'],
    [
      'ts=2024-05-30T12:50:36.648377186Z caller=scheduler_processor.go:143 level=warn msg="error contacting scheduler" err="rpc error: code = Unavailable desc = connection error: desc = \\"error reading server preface: EOF\\"" addr=10.0.151.101:9095',
      'ts=2024-05-30T12:50:36.248030329Z caller=scheduler_processor.go:143 level=warn msg="error contacting scheduler" err="rpc error: code = Unavailable desc = connection error: desc = \\"error reading server preface: EOF\\"" addr=10.0.45.239:9095',
    ],
  ];
  for (const lines of sets) {
    const d = trained(lines);
    assert.equal(d.size, 1);
    const pattern = [...d.all()][0]?.pattern() ?? '';
    const p = compileLineFilterPattern(pattern);
    assert.ok(p.ok, pattern);
    if (!p.ok) continue;
    for (const line of lines) assert.ok(testLineFilterPattern(p.nodes, line), `${JSON.stringify(line)} matches ${JSON.stringify(pattern)}`);
  }
});

test('Drain: samples are counted per 10 s bucket of the entry timestamps', () => {
  const d = new Drain(DRAIN_DEFAULTS, tokenizerFor('unknown', 3000, JSON_FIELDS));
  for (const ts of [1_000, 2_000, 9_999, 10_000, 35_000, 36_000]) d.train(`job ${ts} finished in time`, ts, 0);
  const c = [...d.all()][0];
  assert.deepEqual(c?.samples.range(0, 60_000, 10_000), [{ tsMs: 0, value: 3 }, { tsMs: 10_000, value: 1 }, { tsMs: 30_000, value: 2 }]);
});

test('Drain: at most max_clusters clusters, the least recently used evicted', () => {
  const cfg = { ...DRAIN_DEFAULTS, maxClusters: 2, maxEvictionRatio: 1 };
  const d = trained(['alpha one two three', 'beta one two three four', 'alpha one two three', 'gamma x y z w v'], 'unknown', cfg);
  assert.deepEqual(patterns(d), [['alpha one two three', 2], ['gamma x y z w v', 1]]);
});

test('Drain: past max_eviction_ratio training pauses for 10 minutes', () => {
  const cfg = { ...DRAIN_DEFAULTS, maxClusters: 1 };
  const d = new Drain(cfg, tokenizerFor('unknown', 3000, JSON_FIELDS));
  const shapes = ['a b c d', 'e f g h i', 'j k l m n o', 'p q r s t u v'];
  const results = shapes.map((l) => d.train(l, 0, 0));
  assert.equal(results[3], 'throttled');
  assert.equal(d.train('w x y z', 0, 9 * 60_000), 'throttled');
  assert.notEqual(typeof d.train('w x y z', 0, 10 * 60_000 + 1), 'string');
});

test('Drain: a line longer than max_allowed_line_length is skipped', () => {
  const d = new Drain(DRAIN_DEFAULTS, tokenizerFor('unknown', 20, JSON_FIELDS));
  assert.equal(d.train('this line is longer than twenty', 0, 0), 'line_too_long');
  assert.equal(d.size, 0);
});

test('Drain: tokens holding digits go to the placeholder branch, so they still merge', () => {
  const d = trained(['id 1234 started ok', 'id 98 started ok', 'id abc started ok']);
  assert.deepEqual(patterns(d), [['id <_> started ok', 3]]);
});
