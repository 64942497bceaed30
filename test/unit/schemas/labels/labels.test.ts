import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { formatLabels, labelsFromObject, parseLabelText, quoteLabelValue } from '../../../../schemas/labels/index.js';

const quotes = [
  { name: 'plain', input: 'abc', want: '"abc"' },
  { name: 'quote and backslash', input: 'a"b\\c', want: '"a\\"b\\\\c"' },
  { name: 'newline and tab', input: 'a\nb\tc', want: '"a\\nb\\tc"' },
  { name: 'control byte', input: 'a\x01', want: '"a\\x01"' },
  { name: 'unicode kept', input: 'ünï', want: '"ünï"' },
];
for (const c of quotes) test(`quoteLabelValue: ${c.name}`, () => assert.equal(quoteLabelValue(c.input), c.want));

test('formatLabels: Loki canonical form, names sorted', () => {
  assert.equal(formatLabels(labelsFromObject({ job: 'x', app: 'a"b' })), '{app="a\\"b", job="x"}');
  assert.equal(formatLabels([]), '{}');
});

const parses = [
  { name: 'two pairs', input: '{a="b", c="d"}', want: [['a', 'b'], ['c', 'd']] },
  { name: 'no spaces', input: '{a="b",c="d"}', want: [['a', 'b'], ['c', 'd']] },
  { name: 'escapes', input: '{a="x\\"y\\n"}', want: [['a', 'x"y\n']] },
  { name: 'backquotes', input: '{a=`raw\\n`}', want: [['a', 'raw\\n']] },
  { name: 'empty set', input: '{}', want: [] },
  { name: 'order kept', input: '{z="1", a="2"}', want: [['z', '1'], ['a', '2']] },
];
for (const c of parses) {
  test(`parseLabelText: ${c.name}`, () => {
    assert.deepEqual(parseLabelText(c.input).map((l) => [l.name, l.value]), c.want);
  });
}

const bad: Array<{ name: string; input: string; want?: string }> = [
  { name: 'no braces', input: 'a="b"' },
  { name: 'unquoted value', input: '{a=b}' },
  { name: 'bad name', input: '{1a="b"}' },
  { name: 'dotted name', input: '{a.b="c"}', want: "1:3: parse error: unexpected character inside braces: '.', expected '=' after label name a" },
  { name: 'unterminated', input: '{a="b}' },
  { name: 'missing comma', input: '{a="b" c="d"}' },
];
for (const c of bad) {
  test(`parseLabelText rejects: ${c.name}`, () => {
    assert.throws(() => parseLabelText(c.input), (err) => err instanceof FjordError && err.code === 'invalid_labels' && /^1:\d+: parse error: /.test(err.message) && (c.want === undefined || err.message === c.want));
  });
}
