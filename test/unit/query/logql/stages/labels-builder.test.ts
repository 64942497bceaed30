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

test('labels builder: a structured metadata list added to line after line gives each line what adding it once does', () => {
  const b = new LabelsBuilder([{ name: 'app', value: 'x' }]);
  const sm = [{ name: 'app', value: 'y' }, { name: 'k', value: '1' }, { name: 'k', value: '2' }, { name: '__error__', value: 'E' }];
  const once = (): unknown => {
    b.reset();
    b.addStructuredMetadata(sm);
    return { r: b.result(), err: b.err };
  };
  const first = once();
  assert.deepEqual(first, { r: { labels: [{ name: '__error__', value: 'E' }, { name: 'app', value: 'x' }, { name: 'app_extracted', value: 'y' }, { name: 'k', value: '2' }], stream: [{ name: 'app', value: 'x' }], structuredMetadata: [{ name: 'app_extracted', value: 'y' }, { name: 'k', value: '2' }], parsed: [{ name: '__error__', value: 'E' }] }, err: 'E' });
  b.reset();
  b.set('parsed', 'k', 'p');
  b.addStructuredMetadata(sm); // not a fresh line: a parsed k wins over the metadata's
  assert.equal(b.get('k'), 'p');
  assert.deepEqual(once(), first);
  assert.deepEqual(once(), first);
});
