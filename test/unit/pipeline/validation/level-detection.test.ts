import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsFromObject, type Label } from '../../../../schemas/labels/index.js';
import { levelFromStreamLabels, levelFromText, normalizeLevel, withDetectedLevel } from '../../../../pipeline/validation/level-detection.js';

// Expected values follow Loki's pkg/distributor/field_detection.go (extractLogLevel and helpers).
const detect = (line: string, labels: Record<string, string> = {}, sm: Label[] = []) =>
  withDetectedLevel(levelFromStreamLabels(labelsFromObject(labels)), sm, Buffer.from(line)).find((l) => l.name === 'detected_level')?.value;

const cases = [
  { name: 'logfmt level', line: 'ts=1 level=error msg="boom"', want: 'error' },
  { name: 'logfmt key case-insensitive', line: 'LEVEL=WARN msg=x', want: 'warn' },
  { name: 'logfmt lvl abbreviation', line: 'lvl=dbg msg=x', want: 'debug' },
  { name: 'logfmt unknown value falls back to text search', line: 'level=notice msg="disk error"', want: 'error' },
  { name: 'json level', line: '{"level":"INFO","msg":"ok"}', want: 'info' },
  { name: 'json nested one level', line: '{"log":{"severity":"fatal"}}', want: 'fatal' },
  { name: 'json nested too deep: not read as a field, found by the text search', line: '{"a":{"b":{"level":"error"}}}', want: 'error' },
  { name: 'json field found at depth 2 wins over the text', line: '{"a":{"level":"debug"},"msg":"error"}', want: 'debug' },
  { name: 'json non-string level ignored', line: '{"level":3,"msg":"x"}', want: 'unknown' },
  { name: 'plain text keyword', line: '2024-01-01 [ERROR] connection reset', want: 'error' },
  { name: 'earliest keyword wins', line: 'WARN: retrying after error', want: 'warn' },
  { name: 'keyword inside a word does not count', line: 'terror alert', want: 'unknown' },
  { name: 'key:value compound is not a level', line: 'misc:error happened', want: 'unknown' },
  { name: 'nothing found', line: 'hello world', want: 'unknown' },
];
for (const c of cases) test(`detected_level from the line: ${c.name}`, () => assert.equal(detect(c.line), c.want));

test('detected_level: a level label wins over the line', () => {
  assert.equal(detect('level=error', { level: 'Warning' }), 'warn');
});

test('detected_level: structured metadata level, then OTLP severity_number', () => {
  assert.equal(detect('error here', {}, [{ name: 'severity', value: 'dbg' }]), 'debug');
  assert.equal(detect('error here', {}, [{ name: 'severity_number', value: '17' }]), 'error');
  assert.equal(detect('x', {}, [{ name: 'severity_number', value: '0' }]), 'unknown');
});

test('detected_level: one already sent is normalised in place, not added twice', () => {
  const out = withDetectedLevel(null, [{ name: 'detected_level', value: 'ERR' }], Buffer.from('x'));
  assert.deepEqual(out, [{ name: 'detected_level', value: 'error' }]);
});

test('normalizeLevel and levelFromText', () => {
  assert.equal(normalizeLevel('Information'), 'info');
  assert.equal(normalizeLevel('custom'), 'custom');
  assert.equal(levelFromText(Buffer.from('CRITICAL: x')), 'critical');
});

const more = [
  { name: 'json with escapes and arrays before the level', line: '{"msg":"a \\"quoted\\" [x]","tags":["a","b"],"level":"warn"}', want: 'warn' },
  { name: 'json number before the level', line: '{"n":12.5,"ok":true,"lvl":"DBG"}', want: 'debug' },
  { name: 'logfmt quoted value with spaces', line: 'msg="took long, level=info inside" level=error', want: 'error' },
  { name: 'logfmt priority: level beats lvl', line: 'lvl=debug level=warn', want: 'warn' },
  { name: 'logfmt key mixed case', line: 'Severity=fatal x=1', want: 'fatal' },
  { name: 'text at the very end', line: 'something went wrong: error', want: 'error' },
  { name: 'text: warning listed before warn', line: 'WARNING disk almost full', want: 'warn' },
  { name: 'unicode text', line: 'ünï ERROR ✓', want: 'error' },
];
for (const c of more) test(`detected_level from the line: ${c.name}`, () => assert.equal(detect(c.line), c.want));

test('detected_level: level words that are also names of object properties are not levels', () => {
  assert.equal(normalizeLevel('constructor'), 'constructor');
  assert.equal(detect('level=toString msg=x'), 'unknown');
  assert.equal(detect('{"level":"__proto__"}'), 'unknown');
  assert.equal(detect('{"level":"hasOwnProperty","msg":"an error"}'), 'error');
});
