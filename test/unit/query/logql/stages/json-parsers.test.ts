/**
 * `| json` and `| unpack` over a line's stored bytes and over a rewritten line, with grafana/jsonparser's
 * rules (Loki pkg/logql/log/parser.go): non-ASCII text, escapes, invalid escapes and invalid UTF-8.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileLogPipeline, parseExpr, type LogSelectorExpr } from '../../../../../query/logql/index.js';

function labelsOf(query: string, line: Uint8Array): Record<string, string> {
  const p = compileLogPipeline(parseExpr(query) as LogSelectorExpr).forStream([{ name: 'app', value: 'x' }]);
  const r = p.process(0n, line, []);
  assert.ok(r !== null);
  return Object.fromEntries(r.labels.map((l) => [l.name, l.value]));
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

const cases = [
  { name: 'ASCII line', query: '{app="x"} | json', line: utf8('{"a":"b","n":{"m":1}}'), want: { app: 'x', a: 'b', n_m: '1' } },
  { name: 'non-ASCII values and keys', query: '{app="x"} | json', line: utf8('{"grüße":"häß","k":"日本","after":"z"}'), want: { app: 'x', gr__e: 'häß', k: '日本', after: 'z' } },
  { name: 'escaped key and value', query: '{app="x"} | json', line: utf8('{"a\\u0062":"c\\"d\\u00e9","e":"\\ud83d\\ude00"}'), want: { app: 'x', ab: 'c"dé', e: '😀' } },
  { name: 'a lone high surrogate escape is invalid: empty value', query: '{app="x"} | json', line: utf8('{"a":"\\ud83d","b":"c"}'), want: { app: 'x', a: '', b: 'c' } },
  { name: 'an invalid escape in a key is an error', query: '{app="x"} | json', line: utf8('{"a":"b","c\\q":"d"}'), want: { app: 'x', a: 'b', __error__: 'JSONParserErr', __error_details__: 'Encountered an invalid escape sequence in a string' } },
  { name: 'invalid UTF-8 in a value becomes a space', query: '{app="x"} | json', line: Buffer.concat([utf8('{"a":"x'), Buffer.from([0xff]), utf8('y","b":"é"}')]), want: { app: 'x', a: 'x y', b: 'é' } },
  { name: 'rewritten line is scanned from its text', query: '{app="x"} | line_format "{\\"k\\":\\"{{.app}}é\\"}" | json', line: utf8('ignored'), want: { app: 'x', k: 'xé' } },
  { name: 'paths over non-ASCII text', query: '{app="x"} | json v="a.b[1]", o="a"', line: utf8('{"a":{"b":["é","ü"]}}'), want: { app: 'x', v: 'ü', o: '{"b":["é","ü"]}' } },
  { name: 'unpack with non-ASCII', query: '{app="x"} | unpack', line: utf8('{"_entry":"línea","lvl":"ñ"}'), want: { app: 'x', lvl: 'ñ' } },
];
for (const c of cases) test(`json stages: ${c.name}`, () => assert.deepEqual(labelsOf(c.query, c.line), c.want));

test('json stages: unpack replaces the line with the packed entry', () => {
  const p = compileLogPipeline(parseExpr('{app="x"} | unpack') as LogSelectorExpr).forStream([{ name: 'app', value: 'x' }]);
  assert.equal(p.process(0n, utf8('{"_entry":"l\\u00ednea \\"q\\""}'), [])?.line, 'línea "q"');
});
