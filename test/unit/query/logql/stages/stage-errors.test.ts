import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../../../../schemas/index.js';
import { compileLogPipeline, parseExpr, type LogSelectorExpr } from '../../../../../query/logql/index.js';
import { logfmtExpressionError } from '../../../../../query/logql/stages/logfmt-expression.js';

// Loki builds a query's pipeline with MultiStageExpr.stages(): an error is `parse error : stage
// '<stage as Loki prints it>' : <cause>`, and consecutive line filters are one combined stage.
const refusals = [
  { name: 'logfmt expression with a dot', query: '{app="a"} | logfmt code="response.code"', want: `parse error : stage '| logfmt code="response.code"' : cannot parse expression [response.code]: unexpected char .` },
  { name: 'logfmt expression of two keys', query: '{app="a"} | logfmt --strict code="response", b="x y"', want: `parse error : stage '| logfmt --strict code="response",b="x y"' : cannot parse expression [x y]: syntax error: unexpected KEY` },
  { name: 'json expression', query: '{app="a"} | json bad="user["', want: /^parse error : stage '\| json bad="user\["' : cannot parse expression \[user\[\]: / },
  { name: 'bad ip() in an or chain', query: '{app="a"} |= ip("") or "special"', want: `parse error : stage '|= ip("") or "special"' : ip: invalid pattern: ""` },
  { name: 'the whole run of line filters is named', query: '{app="a"} |= "x" |= ip("") or "special"', want: `parse error : stage '|= "x" |= ip("") or "special"' : ip: invalid pattern: ""` },
  { name: 'line filters moved before a parser join the run', query: '{app="a"} |= "x" | json |~ "special" or ip("10.0.0.0/8")', want: `parse error : stage '|= "x" |~ "special" or ip("10.0.0.0/8")' : ip: invalid operation` },
];
for (const c of refusals) {
  test(`pipeline refuses: ${c.name}`, () => {
    assert.throws(() => compileLogPipeline(parseExpr(c.query) as LogSelectorExpr), (err: unknown) => {
      assert.ok(isFjordError(err, 'bad_request'), String(err));
      if (typeof c.want === 'string') assert.equal(err.message, c.want);
      else assert.match(err.message, c.want);
      return true;
    });
  });
}

test('pipeline accepts logfmt keys and quoted strings', () => {
  for (const q of ['{app="a"} | logfmt code="response"', '{app="a"} | logfmt code="status_2xx"', '{app="a"} | logfmt code="\\"quoted\\""']) compileLogPipeline(parseExpr(q) as LogSelectorExpr);
});

const expressions = [
  { name: 'key', expr: 'app', want: null },
  { name: 'identifier with a digit', expr: 'id8', want: null },
  { name: 'dotted path', expr: 'response.code', want: 'unexpected char .' },
  { name: 'spaces between keys', expr: 'field with spaces', want: 'syntax error: unexpected KEY' },
  { name: 'non-ASCII', expr: 'fieldwithÜFT8', want: 'unexpected char Ü' },
];
for (const c of expressions) test(`logfmtExpressionError: ${c.name}`, () => assert.equal(logfmtExpressionError(c.expr), c.want));
