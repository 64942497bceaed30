/**
 * XXH64: vectors from github.com/cespare/xxhash/v2 Sum64String (the copy vendored by Loki).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { xxhash64 } from '../../../../schemas/wire/index.js';

const utf8 = new TextEncoder();
const cases = [
  { name: 'empty', text: '', want: 17241709254077376921n },
  { name: 'one byte', text: 'a', want: 15154266338359012955n },
  { name: 'three bytes', text: 'abc', want: 4952883123889572249n },
  { name: 'two stripes and a tail', text: '0123456789abcdef0123456789abcdef0123456789', want: 12061080447169366556n },
  { name: 'UTF-8, a stripe and 8-, 4- and 1-byte tails', text: 'héllo wörld, a longer string of 40+ bytes ok', want: 9573379391108693375n },
];
for (const c of cases) test(`xxhash64: ${c.name}`, () => assert.equal(xxhash64(utf8.encode(c.text)), c.want));
