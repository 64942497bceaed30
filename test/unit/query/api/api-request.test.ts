/** Loki's syntax.ParseMatchers(query, validate) as the metadata endpoints use it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSelector, parseSelectorUnvalidated } from '../../../../query/api/api-request.js';
import { FjordError } from '../../../../schemas/index.js';

const MATCHER_REQUIRED =
  'parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will';
const cases = [
  { name: 'selective selector', fn: parseSelector, query: '{app="a", env=~".*"}', want: ['app', 'env'] },
  { name: 'validated: no selective matcher', fn: parseSelector, query: '{app=~".*"}', error: MATCHER_REQUIRED },
  { name: 'unvalidated: no selective matcher allowed', fn: parseSelectorUnvalidated, query: '{app=~".*"}', want: ['app'] },
  { name: 'unvalidated: several unselective matchers', fn: parseSelectorUnvalidated, query: '{app=~".*", env!="x"}', want: ['app', 'env'] },
  { name: 'unvalidated: a pipeline is not a selector', fn: parseSelectorUnvalidated, query: '{app=~".*"} |= "x"', error: 'only label matchers are supported' },
  { name: 'unvalidated: a metric query is not a selector', fn: parseSelectorUnvalidated, query: 'count_over_time({app=~".*"}[1m])', error: 'only label matchers are supported' },
  { name: 'unvalidated: a malformed query', fn: parseSelectorUnvalidated, query: '{app=', error: 'parse error at line 1, col 6: syntax error: unexpected $end, expecting STRING' },
];
for (const c of cases) {
  test(`parseSelector: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(() => c.fn(c.query), (err: unknown) => err instanceof FjordError && err.code === 'bad_request' && err.message === c.error);
    } else assert.deepEqual(c.fn(c.query).map((m) => m.name), c.want);
  });
}
