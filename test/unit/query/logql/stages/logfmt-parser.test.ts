/**
 * `| logfmt` reads a line's stored bytes, as Loki's decoder does: keys and values that are not
 * ASCII or not valid UTF-8 decode as the whole line's decoding would, and strict-mode error
 * positions count bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelsBuilder } from '../../../../../query/logql/stages/labels-builder.js';
import { parseLogfmtLine } from '../../../../../query/logql/stages/logfmt-parser.js';

const bytes = (...parts: (string | number)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p))));

const cases = [
  { name: 'ASCII pairs', line: bytes('a=1 b="x y" c'), strict: false, want: { a: '1', b: 'x y' } },
  { name: 'non-ASCII key is sanitised', line: bytes('é=1 ü-x=2'), strict: false, want: { _: '1', __x: '2' } },
  { name: 'non-ASCII value', line: bytes('msg=héllo q="wörld"'), strict: false, want: { msg: 'héllo', q: 'wörld' } },
  { name: 'invalid UTF-8 in a value becomes a space', line: bytes('v=a', 0xff, 'b w=1'), strict: false, want: { v: 'a b', w: '1' } },
  { name: 'invalid UTF-8 in a key skips the pair', line: bytes('k', 0xff, '=1 w=2'), strict: false, want: { w: '2' } },
  { name: 'escaped quoted value', line: bytes('q="a\\"b\\u00e9"'), strict: false, want: { q: 'a"bé' } },
  {
    name: 'strict: an invalid key is reported at its byte position',
    line: bytes('foo=1 b', 0xff, 'r=10ms'),
    strict: true,
    want: { foo: '1', __error__: 'LogfmtParserErr', __error_details__: 'logfmt syntax error at pos 10 : invalid key' },
  },
  {
    name: 'strict: positions after multi-byte characters count bytes',
    line: bytes('a=é bu"zz=1'),
    strict: true,
    want: { a: 'é', __error__: 'LogfmtParserErr', __error_details__: 'logfmt syntax error at pos 8 : unexpected \'"\'' },
  },
];

for (const c of cases) {
  test(`parseLogfmtLine: ${c.name}`, () => {
    const lbs = new LabelsBuilder([]);
    assert.equal(parseLogfmtLine(c.line, lbs, c.strict, false), true);
    assert.deepEqual(Object.fromEntries(lbs.result().labels.map((l) => [l.name, l.value])), c.want);
  });
}

test('logfmt over a line inside a larger buffer gives what it gives over the line alone, error positions included', () => {
  const lines = ['a=1 b="x y" c', 'a=1 b="unterminated', 'k=v =oops z=2', 'é=1 ok=2', 'x="a\\"b" y=', ''];
  for (const line of lines) {
    for (const strict of [false, true]) {
      const alone = new LabelsBuilder([]);
      parseLogfmtLine(Buffer.from(line), alone, strict, true);
      const inside = new LabelsBuilder([]);
      const padded = Buffer.from(`k=pad ${line} q=pad`);
      parseLogfmtLine(padded, inside, strict, true, 6, 6 + Buffer.byteLength(line));
      assert.deepEqual(inside.result(), alone.result(), `${line} strict=${strict}`);
    }
  }
});
