import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendSanitized, sanitizeLabelKey } from '../../../../schemas/go/index.js';

// Loki pkg/logql/log/util.go sanitizeLabelKey and appendSanitized.
const keys = [
  { name: 'simple', key: 'level', isPrefix: true, want: 'level' },
  { name: 'dash', key: 'cou-nter', isPrefix: true, want: 'cou_nter' },
  { name: 'one underscore per character, no collapsing', key: 'a..b', isPrefix: true, want: 'a__b' },
  { name: 'leading digit as prefix', key: '1a', isPrefix: true, want: '_1a' },
  { name: 'leading digit not as prefix', key: '1a', isPrefix: false, want: '1a' },
  { name: 'trimmed', key: ' a b ', isPrefix: true, want: 'a_b' },
  { name: 'only spaces', key: '  ', isPrefix: true, want: '' },
  { name: 'non-ASCII character', key: 'héllo', isPrefix: true, want: 'h_llo' },
];
for (const c of keys) test(`sanitizeLabelKey: ${c.name}`, () => assert.equal(sanitizeLabelKey(c.key, c.isPrefix), c.want));

const appends = [
  { name: 'first part with a digit', to: '', part: '1x', want: '_1x' },
  { name: 'later part with a digit', to: 'a_', part: '1x', want: 'a_1x' },
  { name: 'blank part', to: 'a', part: ' ', want: 'a' },
];
for (const c of appends) test(`appendSanitized: ${c.name}`, () => assert.equal(appendSanitized(c.to, c.part), c.want));
