/**
 * Label categories and precedence, as Loki's LabelsBuilder (pkg/logql/log/labels.go).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelsBuilder } from '../../../../../query/logql/stages/labels-builder.js';

const names = (ls: readonly { name: string }[]): string[] => ls.map((l) => l.name);

test('labels builder: structured metadata clashing with a stream label gets _extracted', () => {
  const b = new LabelsBuilder([{ name: 'app', value: 'x' }]);
  b.addStructuredMetadata([{ name: 'app', value: 'y' }, { name: 'trace', value: 't' }]);
  const r = b.result();
  assert.deepEqual(names(r.stream), ['app']);
  assert.deepEqual(names(r.structuredMetadata), ['app_extracted', 'trace']);
});

test('labels builder: a parsed label replaces structured metadata of the same name', () => {
  const b = new LabelsBuilder([]);
  b.addStructuredMetadata([{ name: 'k', value: 'sm' }]);
  b.set('parsed', 'k', 'p');
  const r = b.result();
  assert.deepEqual(r.structuredMetadata, []);
  assert.deepEqual(r.parsed, [{ name: 'k', value: 'p' }]);
});

test('labels builder: errors are parsed labels', () => {
  const b = new LabelsBuilder([{ name: 'a', value: '1' }]);
  b.err = 'JSONParserErr';
  assert.deepEqual(names(b.result().parsed), ['__error__']);
});

test('labels builder: unchanged lines reuse the stream labels', () => {
  const base = [{ name: 'a', value: '1' }];
  const b = new LabelsBuilder(base);
  assert.equal(b.result().labels, base);
});
