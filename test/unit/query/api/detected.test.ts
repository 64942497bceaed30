/**
 * Detected fields and labels as Loki computes them (`L:pkg/querier/queryrange/detected_fields.go`
 * determineType, parseDetectedFields, parseDetectedFieldValues; `L:pkg/querier/querier.go`
 * shouldRejectLabel, containsAllIDTypes, the static labels) and go-humanize's ParseBytes/Bytes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import type { ResultStream } from '../../../../query/engine/query-backend.js';
import { detectFieldValues, detectFields, detectLabels, determineFieldType, formatHumanBytes, parseHumanBytes, shouldRejectLabel } from '../../../../query/api/detected.js';

const L = labelsFromObject;

const typeCases: Array<{ value: string; want: string }> = [
  { value: '42', want: 'int' },
  { value: '-7', want: 'int' },
  { value: '1.5', want: 'float' },
  { value: '1e3', want: 'float' },
  { value: 'NaN', want: 'float' },
  { value: 'true', want: 'boolean' },
  { value: 'F', want: 'boolean' },
  { value: '150ms', want: 'duration' },
  { value: '1h30m', want: 'duration' },
  { value: '10MB', want: 'bytes' },
  { value: '1.5 KiB', want: 'bytes' },
  { value: 'hello', want: 'string' },
  { value: '', want: 'string' },
];
for (const c of typeCases) test(`determineFieldType(${JSON.stringify(c.value)}) = ${c.want}`, () => assert.equal(determineFieldType(c.value), c.want));

test('go-humanize bytes: parse and print', () => {
  assert.equal(parseHumanBytes('10MB'), 10_000_000);
  assert.equal(parseHumanBytes('1,024 kib'), 1_048_576);
  assert.equal(parseHumanBytes('12 parsecs'), null);
  assert.equal(formatHumanBytes(5), '5B');
  assert.equal(formatHumanBytes(1500), '1.5kB');
  assert.equal(formatHumanBytes(10_000_000), '10MB');
  assert.equal(formatHumanBytes(83_854_000), '84MB');
});

const sampled: ResultStream[] = [
  {
    labels: L({ app: 'api' }),
    entries: [
      { tsNs: 3n, line: '{"status":200,"user":{"id":"u1"},"dur":"15ms"}', structuredMetadata: L({ trace_id: 'abc' }), parsed: [] },
      { tsNs: 2n, line: '{"status":404,"user":{"id":"u2"},"dur":"3ms"}', structuredMetadata: L({ trace_id: 'def' }), parsed: [] },
      { tsNs: 1n, line: 'level=info size=10MB msg="done"', structuredMetadata: [], parsed: L({ extra: 'x' }) },
    ],
  },
];

test('detectFields: structured metadata (parsers null), JSON with paths, logfmt, query-parsed labels', () => {
  const fields = detectFields(sampled, 1000);
  assert.deepEqual(fields, [
    { label: 'dur', type: 'duration', cardinality: 2, parsers: ['json'], jsonPath: ['dur'] },
    { label: 'extra', type: 'string', cardinality: 1, parsers: ['logfmt'] },
    { label: 'level', type: 'string', cardinality: 1, parsers: ['logfmt'] },
    { label: 'msg', type: 'string', cardinality: 1, parsers: ['logfmt'] },
    { label: 'size', type: 'bytes', cardinality: 1, parsers: ['logfmt'] },
    { label: 'status', type: 'int', cardinality: 2, parsers: ['json'], jsonPath: ['status'] },
    { label: 'trace_id', type: 'string', cardinality: 2, parsers: null },
    { label: 'user_id', type: 'string', cardinality: 2, parsers: ['json'], jsonPath: ['user', 'id'] },
  ]);
});

test('detectFields: at most `limit` fields', () => {
  assert.equal(detectFields(sampled, 3).length, 3);
});

test('detectFieldValues: distinct values, byte values normalised as Loki prints them', () => {
  assert.deepEqual(detectFieldValues(sampled, 'status', 100), ['200', '404']);
  assert.deepEqual(detectFieldValues(sampled, 'size', 100), ['10MB']);
  assert.deepEqual(detectFieldValues(sampled, 'trace_id', 100), ['abc', 'def']);
});

test('shouldRejectLabel: IDs and numbers are rejected, 0/1 booleans and words are kept', () => {
  assert.equal(shouldRejectLabel([]), true);
  assert.equal(shouldRejectLabel(['0', '1']), false);
  assert.equal(shouldRejectLabel(['12', '13', '14']), true);
  assert.equal(shouldRejectLabel(['0b9f6c0e-1d2a-4f5b-9c8d-7e6f5a4b3c2d', '1b9f6c0e-1d2a-4f5b-9c8d-7e6f5a4b3c2d', '2b9f6c0e1d2a4f5b9c8d7e6f5a4b3c2d']), true);
  assert.equal(shouldRejectLabel(['prod', 'dev']), false);
});

test('detectLabels: cardinality per label; static labels kept even when they look like IDs', () => {
  const got = detectLabels([L({ app: 'a', pod: '1', req: '1' }), L({ app: 'b', pod: '2', req: '2' }), L({ app: 'b', pod: '3', req: '3' })]);
  assert.deepEqual(got, [{ label: 'app', cardinality: 2 }, { label: 'pod', cardinality: 3 }]);
});
