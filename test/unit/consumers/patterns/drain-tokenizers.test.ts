/** The JSON field Drain tokenizes, and the plain-text cut. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstStringField, logfmtTokenizer, punctuationTokenizer, scanLogfmt } from '../../../../consumers/patterns/drain-tokenizers.js';

const FIELDS = ['log', 'message', 'msg'];

const cases = [
  { name: 'the first field of the list wins, not the first in the line', line: '{"msg":"b","log":"a c"}', want: 'a c' },
  { name: 'escapes are kept as written', line: '{"message":"say \\"hi\\""}', want: 'say \\"hi\\"' },
  { name: 'a key\'s first occurrence counts, a number is not a string', line: '{"log":1,"log":"x","msg":"m"}', want: 'm' },
  { name: 'nested objects are skipped whole', line: '{"a":{"log":"inner"},"msg":"outer"}', want: 'outer' },
  { name: 'none of the fields', line: '{"level":"info","n":3}', want: undefined },
  { name: 'a line that does not scan', line: '{"msg":"x",', want: null },
  { name: 'not an object', line: '["msg"]', want: null },
];
for (const c of cases) {
  test(`firstStringField: ${c.name}`, () => assert.equal(firstStringField(c.line, FIELDS), c.want));
}

test('punctuation tokenizer: spaces are kept as positions, = and punctuation are tokens, _-.:/ and letters stay in tokens', () => {
  const t = punctuationTokenizer(3000).tokenize('GET /a_b-c.d:e?x=1 «ok» done');
  assert.deepEqual(t?.tokens, ['GET', '/a_b-c.d:e', '?', 'x', '=', '1', '«', 'ok', '»', 'done']);
  assert.deepEqual(t?.spacesAfter, [0, 5, 8]);
});

test('scanLogfmt: quoted values with and without escapes, bare keys, and an unterminated quote', () => {
  const out: string[] = [];
  assert.equal(scanLogfmt('a=1 b="x y" c="say \\"hi\\"" d', out), 8);
  assert.deepEqual(out, ['a', '1', 'b', 'x y', 'c', 'say "hi"', 'd', '']);
  assert.equal(scanLogfmt('a="open', []), -1);
  assert.equal(scanLogfmt('a="bad \\q"', []), -1);
});

test('logfmt tokenizer: the values of ts, t, time, timestamp and traceID (any case) are variables', () => {
  const t = logfmtTokenizer(3000).tokenize('t=1 TS=2 Time=3 timestamp=4 traceID=5 tid=6');
  assert.deepEqual(t?.tokens, ['t', '<_>', 'TS', '<_>', 'Time', '<_>', 'timestamp', '<_>', 'traceID', '<_>', 'tid', '6']);
});

test('tokenizers: a shorter line after a longer one gives only its own tokens and spaces', () => {
  const plain = punctuationTokenizer(3000);
  plain.tokenize('one two three four five');
  const t = plain.tokenize('six seven');
  assert.deepEqual([t?.tokens, t?.spacesAfter], [['six', 'seven'], [0]]);
  const logfmt = logfmtTokenizer(3000);
  logfmt.tokenize('a=1 b=2 c=3 ts=4');
  assert.deepEqual(logfmt.tokenize('d=5 t=6')?.tokens, ['d', '5', 't', '<_>']);
});
