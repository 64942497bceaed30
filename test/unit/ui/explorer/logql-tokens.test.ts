import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorPosition, tokenizeLogql } from '../../../../ui/explorer/logql-tokens.js';

const cases = [
  { name: 'selector and line filter', query: '{job="x"} |= "err"', want: ['brace:{', 'label:job', 'operator:=', 'string:"x"', 'brace:}', 'space: ', 'operator:|=', 'space: ', 'string:"err"'] },
  { name: 'metric query', query: 'sum by (app) (rate({a=~"b"}[5m]))', want: ['function:sum', 'space: ', 'keyword:by', 'space: ', 'brace:(', 'label:app', 'brace:)', 'space: ', 'brace:(', 'function:rate', 'brace:(', 'brace:{', 'label:a', 'operator:=~', 'string:"b"', 'brace:}', 'duration:[5m]', 'brace:)', 'brace:)'] },
  { name: 'escaped quote and backticks', query: '{a="q\\"x"} |~ `a.*`', want: ['brace:{', 'label:a', 'operator:=', 'string:"q\\"x"', 'brace:}', 'space: ', 'operator:|~', 'space: ', 'string:`a.*`'] },
  { name: 'parser, label filter and comment', query: '{a="b"} | json | status >= 500 # slow', want: ['brace:{', 'label:a', 'operator:=', 'string:"b"', 'brace:}', 'space: ', 'operator:|', 'space: ', 'keyword:json', 'space: ', 'operator:|', 'space: ', 'label:status', 'space: ', 'operator:>=', 'space: ', 'number:500', 'space: ', 'comment:# slow'] },
  { name: 'unterminated string runs to the end', query: '{a="b', want: ['brace:{', 'label:a', 'operator:=', 'string:"b'] },
];
for (const c of cases) {
  test(`tokenizeLogql: ${c.name}`, () => {
    const tokens = tokenizeLogql(c.query);
    assert.deepEqual(tokens.map((t) => `${t.kind}:${t.text}`), c.want);
    assert.equal(tokens.map((t) => t.text).join(''), c.query);
  });
}

const positions = [
  { name: 'Loki parse error', message: 'parse error at line 1, col 14: syntax error: unexpected $end', want: { line: 1, col: 14 } },
  { name: 'second line', message: 'parse error at line 2, col 3: syntax error: unexpected IDENTIFIER', want: { line: 2, col: 3 } },
  { name: 'no position', message: 'queries require at least one regexp or equality matcher', want: null },
];
for (const c of positions) test(`errorPosition: ${c.name}`, () => assert.deepEqual(errorPosition(c.message), c.want));
