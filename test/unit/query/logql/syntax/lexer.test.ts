/**
 * Lexer token sequences, from Loki's pkg/logql/syntax/lex_test.go TestLex.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lexer } from '../../../../../query/logql/syntax/lexer.js';
import { TOK, type TokenName } from '../../../../../query/logql/syntax/tokens.js';

function lexAll(input: string): number[] {
  const lx = new Lexer(input);
  const out: number[] = [];
  for (let t = lx.lex(); t.tok !== TOK.$end; t = lx.lex()) out.push(t.tok);
  return out;
}

const t = (...names: TokenName[]): number[] => names.map((n) => TOK[n]);

const cases: { name: string; input: string; want: number[] }[] = [
  { name: 'selector', input: '{foo="bar"}', want: t('OPEN_BRACE', 'IDENTIFIER', 'EQ', 'STRING', 'CLOSE_BRACE') },
  { name: 'raw string regex filter', input: '{foo="bar"} |~  `\\w+`', want: t('OPEN_BRACE', 'IDENTIFIER', 'EQ', 'STRING', 'CLOSE_BRACE', 'PIPE_MATCH', 'STRING') },
  { name: 'duration filter', input: '{foo="bar"} |~ "\\\\w+" | latency > 250ms', want: t('OPEN_BRACE', 'IDENTIFIER', 'EQ', 'STRING', 'CLOSE_BRACE', 'PIPE_MATCH', 'STRING', 'PIPE', 'IDENTIFIER', 'GT', 'DURATION') },
  { name: 'fractional duration', input: '| latency > 1h15m30.918273645s', want: t('PIPE', 'IDENTIFIER', 'GT', 'DURATION') },
  { name: 'bytes filter', input: '| size > 250kB', want: t('PIPE', 'IDENTIFIER', 'GT', 'BYTES') },
  { name: 'number', input: '| foo == 4.00', want: t('PIPE', 'IDENTIFIER', 'CMP_EQ', 'NUMBER') },
  { name: 'range', input: 'rate({foo="bar"}[10s])', want: t('RATE', 'OPEN_PARENTHESIS', 'OPEN_BRACE', 'IDENTIFIER', 'EQ', 'STRING', 'CLOSE_BRACE', 'RANGE', 'CLOSE_PARENTHESIS') },
  { name: 'keywords are case-insensitive', input: 'SUM BY (foo) (Count_Over_Time({a="b"}[5m]))', want: t('SUM', 'BY', 'OPEN_PARENTHESIS', 'IDENTIFIER', 'CLOSE_PARENTHESIS', 'OPEN_PARENTHESIS', 'COUNT_OVER_TIME', 'OPEN_PARENTHESIS', 'OPEN_BRACE', 'IDENTIFIER', 'EQ', 'STRING', 'CLOSE_BRACE', 'RANGE', 'CLOSE_PARENTHESIS', 'CLOSE_PARENTHESIS') },
  { name: 'function name without ( is an identifier', input: '| rate="x"', want: t('PIPE', 'IDENTIFIER', 'EQ', 'STRING') },
  { name: 'comment', input: '{foo="bar"} #|~ "x"', want: t('OPEN_BRACE', 'IDENTIFIER', 'EQ', 'STRING', 'CLOSE_BRACE') },
  { name: 'parser flags', input: '| logfmt --strict --keep-empty', want: t('PIPE', 'LOGFMT', 'FUNCTION_FLAG', 'FUNCTION_FLAG') },
  { name: 'negative offset', input: 'offset -5m', want: t('OFFSET', 'DURATION') },
  { name: 'two-character operators', input: '|= != =~ !~ |> !> >= <= ==', want: t('PIPE_EXACT', 'NEQ', 'RE', 'NRE', 'PIPE_PATTERN', 'NPA', 'GTE', 'LTE', 'CMP_EQ') },
];

for (const c of cases) test(`lexer: ${c.name}`, () => assert.deepEqual(lexAll(c.input), c.want));

test('lexer: positions are the scanner position after the token', () => {
  const lx = new Lexer('{foo="bar"} foo');
  let tok = lx.lex();
  while (tok.tok !== TOK.IDENTIFIER || tok.str !== 'foo' || tok.col < 10) tok = lx.lex();
  assert.deepEqual([tok.line, tok.col], [1, 13]);
});
