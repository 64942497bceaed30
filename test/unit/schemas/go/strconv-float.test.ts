/**
 * Go float formatting and parsing used in printed queries and templates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoFloatF, formatGoFloatV, parseGoFloat } from '../../../../schemas/go/index.js';

const cases = [
  { name: '%v of 1e6 uses an exponent', got: () => formatGoFloatV(1e6), want: '1e+06' },
  { name: '%v of 100000', got: () => formatGoFloatV(100000), want: '100000' },
  { name: '%v of 0.0001', got: () => formatGoFloatV(0.0001), want: '0.0001' },
  { name: '%v of 0.00001', got: () => formatGoFloatV(0.00001), want: '1e-05' },
  { name: '%v of -2.5', got: () => formatGoFloatV(-2.5), want: '-2.5' },
  { name: "'f' -1 of 1e21", got: () => formatGoFloatF(1e21), want: '1000000000000000000000' },
  { name: "'f' -1 of 0.5", got: () => formatGoFloatF(0.5), want: '0.5' },
  { name: 'ParseFloat hex without p', got: () => parseGoFloat('0x10'), want: { ok: false, error: 'strconv.ParseFloat: parsing "0x10": invalid syntax' } },
  { name: 'ParseFloat exponent', got: () => parseGoFloat('1e3'), want: { ok: true, value: 1000 } },
];
for (const c of cases) test(`go numbers: ${c.name}`, () => assert.deepEqual(c.got(), c.want));
