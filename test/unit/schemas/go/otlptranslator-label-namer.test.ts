import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLabelName, isBuiltLabelName } from '../../../../schemas/go/index.js';

// otlptranslator v1.0.0 LabelNamer.Build (label_namer.go, strconv.go), as Loki uses it.
const names = [
  { name: 'dots', input: 'service.name', want: 'service_name' },
  { name: 'k8s', input: 'k8s.pod.name', want: 'k8s_pod_name' },
  { name: 'runs of invalid characters collapse', input: 'a..b--c__d', want: 'a_b_c_d' },
  { name: 'leading digit', input: '123abc', want: 'key_123abc' },
  { name: 'reserved kept', input: '__x.y__', want: '__x_y__' },
  { name: 'non-ASCII', input: 'héllo', want: 'h_llo' },
  { name: 'leading underscore kept', input: '_a', want: '_a' },
  { name: 'empty', input: '', want: { error: 'label name is empty' } },
  { name: 'only underscores after normalising', input: 'é', want: { error: 'normalization for label name "é" resulted in invalid name "_"' } },
  { name: 'a quote in the name is quoted as Go does', input: '"', want: { error: 'normalization for label name "\\"" resulted in invalid name "_"' } },
  { name: 'a surrogate pair is one character', input: 'a😀b', want: 'a_b' },
];
for (const c of names) test(`buildLabelName: ${c.name}`, () => assert.deepEqual(buildLabelName(c.input), c.want));

const built = [
  { name: 'plain', input: 'service_name', want: true },
  { name: 'reserved', input: '__name__', want: true },
  { name: 'dot', input: 'service.name', want: false },
  { name: 'double underscore inside', input: 'a__b', want: false },
  { name: 'leading digit', input: '1a', want: false },
];
for (const c of built) test(`isBuiltLabelName: ${c.name}`, () => assert.equal(isBuiltLabelName(c.input), c.want));
