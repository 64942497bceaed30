import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addLabelFilter, addSelectorMatcher, quoteLogql } from '../../../../ui/explorer/selector-edit.js';

const matchers = [
  { name: 'appends to the selector', query: '{job="x"} |= "a"', label: ['app', 'web'], want: '{job="x", app="web"} |= "a"' },
  { name: 'already there', query: '{job="x", app="web"}', label: ['app', 'web'], want: '{job="x", app="web"}' },
  { name: 'empty selector', query: '{}', label: ['app', 'web'], want: '{app="web"}' },
  { name: 'no query yet', query: '', label: ['app', 'web'], want: '{app="web"}' },
  { name: 'brace inside a string is not the selector', query: '{job="}"}', label: ['a', 'b'], want: '{job="}", a="b"}' },
  { name: 'inside a metric query', query: 'rate({job="x"}[1m])', label: ['a', 'b'], want: 'rate({job="x", a="b"}[1m])' },
  { name: 'value quoted', query: '{job="x"}', label: ['path', 'C:\\"a"'], want: '{job="x", path="C:\\\\\\"a\\""}' },
];
for (const c of matchers) test(`addSelectorMatcher: ${c.name}`, () => assert.equal(addSelectorMatcher(c.query, c.label[0] as string, c.label[1] as string), c.want));

test('addSelectorMatcher: a negative matcher', () => assert.equal(addSelectorMatcher('{job="x"}', 'app', 'web', '!='), '{job="x", app!="web"}'));

const filters = [
  { name: 'appends a stage', query: '{job="x"}', op: '=' as const, want: '{job="x"} | trace_id="t1"' },
  { name: 'filter out', query: '{job="x"} ', op: '!=' as const, want: '{job="x"} | trace_id!="t1"' },
  { name: 'already there', query: '{job="x"} | trace_id="t1"', op: '=' as const, want: '{job="x"} | trace_id="t1"' },
];
for (const c of filters) test(`addLabelFilter: ${c.name}`, () => assert.equal(addLabelFilter(c.query, 'trace_id', 't1', c.op), c.want));

test('quoteLogql: escapes backslash, quote and newline', () => assert.equal(quoteLogql('a\\b"c\nd'), '"a\\\\b\\"c\\nd"'));
