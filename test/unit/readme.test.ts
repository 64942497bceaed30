/** README.md keeps up with the code: every config key is in its reference table, and the quick start is there. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { listFields } from '../../schemas/config/index.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('README: the quick start commands', () => {
  assert.match(readme, /npm install && npm start/);
  assert.match(readme, /^npm test\b/m);
});

test('README: every config key and flag is in the reference table', () => {
  for (const { path, field } of listFields()) {
    const flag = field.flag === '' ? '(YAML only)' : `\`-${field.flag}\``;
    assert.ok(readme.includes(`| \`${path.join('.')}\` | ${flag} |`), `README lacks ${path.join('.')}`);
  }
});
