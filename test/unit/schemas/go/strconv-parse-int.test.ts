import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strconvAtoi, strconvParseInt } from '../../../../schemas/go/index.js';

// Go's strconv.ParseInt(s, 10, 64) and Atoi, with NumError texts.
const cases = [
  { name: 'plain', fn: () => strconvParseInt('42'), want: { ok: true, value: 42n } },
  { name: 'signed', fn: () => strconvParseInt('-9223372036854775808'), want: { ok: true, value: -9223372036854775808n } },
  { name: 'plus sign', fn: () => strconvParseInt('+7'), want: { ok: true, value: 7n } },
  { name: 'out of range', fn: () => strconvParseInt('9223372036854775808'), want: { ok: false, error: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' } },
  { name: 'spaces are invalid', fn: () => strconvParseInt(' 1'), want: { ok: false, error: 'strconv.ParseInt: parsing " 1": invalid syntax' } },
  { name: 'control character quoted as Go does', fn: () => strconvParseInt('1\x01'), want: { ok: false, error: 'strconv.ParseInt: parsing "1\\x01": invalid syntax' } },
  { name: 'Atoi names itself', fn: () => strconvAtoi('x'), want: { ok: false, error: 'strconv.Atoi: parsing "x": invalid syntax' } },
  { name: 'Atoi value', fn: () => strconvAtoi('100'), want: { ok: true, value: 100 } },
];
for (const c of cases) test(`strconv: ${c.name}`, () => assert.deepEqual(c.fn(), c.want));
