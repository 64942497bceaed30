import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { anyValueText, attributeToLabels, type AnyValue } from '../../../../pipeline/index.js';
import { utf8 } from '../../../helpers/bytes.js';


// pdata Value.AsString (pdata/pcommon/value.go).
const texts: Array<{ name: string; value: AnyValue; want: string }> = [
  { name: 'empty', value: { kind: 'empty' }, want: '' },
  { name: 'string', value: { kind: 'string', value: 'a"b' }, want: 'a"b' },
  { name: 'bool', value: { kind: 'bool', value: true }, want: 'true' },
  { name: 'int64 min', value: { kind: 'int', value: -(2n ** 63n) }, want: '-9223372036854775808' },
  { name: 'double', value: { kind: 'double', value: 637.704 }, want: '637.704' },
  { name: 'double small uses e', value: { kind: 'double', value: 1.5e-7 }, want: '1.5e-7' },
  { name: 'double large uses e+', value: { kind: 'double', value: 1e21 }, want: '1e+21' },
  { name: 'double NaN', value: { kind: 'double', value: NaN }, want: 'NaN' },
  { name: 'double -Inf', value: { kind: 'double', value: -Infinity }, want: '-Infinity' },
  { name: 'bytes as base64', value: { kind: 'bytes', value: utf8('hi!') }, want: 'aGkh' },
  { name: 'array as JSON', value: { kind: 'array', values: [{ kind: 'string', value: 'many' }, { kind: 'int', value: 1n }, { kind: 'empty' }] }, want: '["many",1,null]' },
  {
    name: 'map as JSON, keys sorted, last duplicate wins, no HTML escaping',
    value: { kind: 'kvlist', values: [{ key: 'z', value: { kind: 'string', value: '<&>' } }, { key: 'a', value: { kind: 'bool', value: false } }, { key: 'z', value: { kind: 'double', value: 2.5 } }] },
    want: '{"a":false,"z":2.5}',
  },
  { name: 'map holding NaN cannot be encoded', value: { kind: 'kvlist', values: [{ key: 'a', value: { kind: 'double', value: NaN } }] }, want: '' },
];
for (const c of texts) test(`anyValueText: ${c.name}`, () => assert.equal(anyValueText(c.value), c.want));

test('attributeToLabels: a map flattens to parent_child names', () => {
  const got = attributeToLabels({ key: 'map.attribute', value: { kind: 'kvlist', values: [
    { key: 'some.map.key', value: { kind: 'string', value: 'some value' } },
    { key: 'inner', value: { kind: 'kvlist', values: [{ key: 'x', value: { kind: 'int', value: 1n } }] } },
  ] } });
  assert.deepEqual(got, [{ name: 'map_attribute_some_map_key', value: 'some value' }, { name: 'map_attribute_inner_x', value: '1' }]);
});

const badAttributes = [
  { name: 'empty key', key: '', value: { kind: 'string', value: 'x' } as AnyValue, want: 'symbolizer lookup: label name is empty' },
  { name: 'key of underscores only', key: '__', value: { kind: 'string', value: 'x' } as AnyValue, want: 'symbolizer lookup: normalization for label name "__" resulted in invalid name "_"' },
];
for (const c of badAttributes) {
  test(`attributeToLabels rejects: ${c.name}`, () => {
    assert.throws(() => attributeToLabels({ key: c.key, value: c.value }), (err) => err instanceof FjordError && err.code === 'bad_request' && err.message === c.want);
  });
}
