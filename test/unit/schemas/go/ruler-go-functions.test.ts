import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatGoFloatE, formatGoFloatPrecisionG, formatRfc3339Millis, formatRfc3339Nano, goJsonMarshal, goQueryEscape, isLocalPath,
} from '../../../../schemas/go/index.js';

// Every expected value below was printed by Go 1.26 (fmt, strconv, net/url, path/filepath, encoding/json, time).
const floats = [
  { v: 6, g4: '6', g3: '6', e: '6e+00' },
  { v: 1234.5, g4: '1234', g3: '1.23e+03', e: '1.2345e+03' },
  { v: 0.000123456, g4: '0.0001235', g3: '0.000123', e: '1.23456e-04' },
  { v: 1e21, g4: '1e+21', g3: '1e+21', e: '1e+21' },
  { v: 12345, g4: '1.234e+04', g3: '1.23e+04', e: '1.2345e+04' },
  { v: 1200, g4: '1200', g3: '1.2e+03', e: '1.2e+03' },
  { v: 0.5, g4: '0.5', g3: '0.5', e: '5e-01' },
  { v: -3.25, g4: '-3.25', g3: '-3.25', e: '-3.25e+00' },
  { v: 100000, g4: '1e+05', g3: '1e+05', e: '1e+05' },
];
for (const c of floats) {
  test(`%.4g, %.3g and FormatFloat 'e' of ${c.v}`, () => {
    assert.equal(formatGoFloatPrecisionG(c.v, 4), c.g4);
    assert.equal(formatGoFloatPrecisionG(c.v, 3), c.g3);
    assert.equal(formatGoFloatE(c.v), c.e);
  });
}

test('url.QueryEscape', () => {
  assert.equal(goQueryEscape(`{"a":"b c~*'!()"} é/`), '%7B%22a%22%3A%22b+c~%2A%27%21%28%29%22%7D+%C3%A9%2F');
});

const paths = [['', false], ['a', true], ['/a', false], ['..', false], ['a/../..', false], ['a/../b', true], ['./x', true], ['a/..', true]] as const;
for (const [p, want] of paths) test(`filepath.IsLocal(${JSON.stringify(p)})`, () => assert.equal(isLocalPath(p), want));

test('encoding/json escapes', () => {
  assert.equal(goJsonMarshal({ q: 'a > b && c < d \u2028' }), '{"q":"a \\u003e b \\u0026\\u0026 c \\u003c d \\u2028"}');
});

test('time.Time JSON and strfmt.DateTime', () => {
  assert.equal(formatRfc3339Nano(1_700_000_000_120), '2023-11-14T22:13:20.12Z');
  assert.equal(formatRfc3339Nano(1_700_000_000_000), '2023-11-14T22:13:20Z');
  assert.equal(formatRfc3339Nano(0), '0001-01-01T00:00:00Z');
  assert.equal(formatRfc3339Millis(1_700_000_000_120), '2023-11-14T22:13:20.120Z');
});
