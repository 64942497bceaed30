import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { compileLogSelector } from '../../../../query/logql/index.js';

const labels = [{ name: 'app', value: 'api' }, { name: 'env', value: 'prod' }];
const line = (s: string) => new TextEncoder().encode(s);

const CASES = [
  { name: 'selector only: every line of a matching stream', query: '{app="api"}', matches: true, filters: false, secret: true, plain: true },
  { name: 'regex matcher', query: '{app=~"a.i", env!="dev"}', matches: true, filters: false, secret: true, plain: true },
  { name: 'another stream', query: '{app="web"}', matches: false, filters: false, secret: true, plain: true },
  { name: 'line filter', query: '{app="api"} |= "secret"', matches: true, filters: true, secret: true, plain: false },
  { name: 'negated line filter', query: '{app="api"} != "secret"', matches: true, filters: true, secret: false, plain: true },
  { name: 'parser and label filter', query: '{app="api"} | logfmt | user="bob"', matches: true, filters: true, secret: true, plain: false },
  { name: 'an empty line filter filters nothing', query: '{app="api"} |= ""', matches: true, filters: false, secret: true, plain: true },
] as const;

for (const c of CASES) {
  test(`compileLogSelector: ${c.name}`, () => {
    const s = compileLogSelector(c.query);
    assert.equal(s.matchesStream(labels), c.matches);
    assert.equal(s.hasLineFilter, c.filters);
    assert.equal(s.selectsLine(labels, 1n, line('msg="secret" user=bob'), []), c.secret);
    assert.equal(s.selectsLine(labels, 1n, line('msg="hello" user=ann'), []), c.plain);
  });
}

for (const bad of ['foo', 'rate({app="api"}[1m])', '{app="api"', '']) {
  test(`compileLogSelector: ${JSON.stringify(bad)} is Loki's invalid query expression`, () => {
    assert.throws(() => compileLogSelector(bad), (e) => e instanceof FjordError && e.code === 'bad_request' && e.message === 'invalid query expression');
  });
}
