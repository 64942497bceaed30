import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { resolveTenants, resolveWriteTenant } from '../../../../schemas/labels/index.js';

const cases = [
  { name: 'auth off is fake', header: 'anything', auth: false, want: ['fake'] },
  { name: 'one tenant', header: 'team-a', auth: true, want: ['team-a'] },
  { name: 'several, sorted and unique', header: 'b|a|b', auth: true, want: ['a', 'b'] },
  { name: 'allowed punctuation', header: "a!-_.*'()", auth: true, want: ["a!-_.*'()"] },
];
for (const c of cases) test(`resolveTenants: ${c.name}`, () => assert.deepEqual(resolveTenants(c.header, c.auth), c.want));

const errors = [
  { name: 'missing header', header: undefined, code: 'no_org_id', message: 'no org id' },
  { name: 'empty header', header: '', code: 'no_org_id', message: 'no org id' },
  { name: 'dot dot', header: '..', code: 'bad_request', message: "tenant ID is '.' or '..'" },
  { name: 'too long', header: 'x'.repeat(151), code: 'bad_request', message: 'tenant ID is too long: max 150 characters' },
  { name: 'slash', header: 'a/b', code: 'bad_request', message: "tenant ID 'a/b' contains unsupported character '/'" },
];
for (const c of errors) {
  test(`resolveTenants rejects: ${c.name}`, () => {
    assert.throws(() => resolveTenants(c.header, true), (err) => err instanceof FjordError && err.code === c.code && err.message === c.message);
  });
}

test('resolveWriteTenant: one tenant only', () => {
  assert.equal(resolveWriteTenant('a', true), 'a');
  assert.equal(resolveWriteTenant(undefined, false), 'fake');
  assert.throws(() => resolveWriteTenant('a|b', true), (err) => err instanceof FjordError && err.message === 'multiple org IDs present');
});
