import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installNativeCrc32c } from '../../../../platform/codecs/index.js';
import { crc32c, crc32cImplementation, crc32cJs } from '../../../../schemas/wire/index.js';
import { seededRandom } from '../../../helpers/random.js';

test('installNativeCrc32c: the addon (an optional dependency installed here) loads', () => {
  assert.equal(installNativeCrc32c(), true);
  assert.equal(crc32cImplementation(), 'native');
});

test('crc32c: native and JavaScript agree on every length, offset and continuation', () => {
  assert.equal(installNativeCrc32c(), true);
  const rand = seededRandom(7);
  const data = Buffer.from(Array.from({ length: 70_000 }, () => Math.floor(rand() * 256)));
  for (const len of [0, 1, 7, 8, 127, 128, 129, 1000, 4096, 65_537]) {
    const start = Math.floor(rand() * 1000);
    const end = start + len;
    const seed = Math.floor(rand() * 0xffffffff) >>> 0;
    assert.equal(crc32c(data, start, end), crc32cJs(data, start, end), `length ${len}`);
    assert.equal(crc32c(data, start, end, seed), crc32cJs(data, start, end, seed), `length ${len}, continued`);
    assert.equal(crc32c(new Uint8Array(data.subarray(start, end))), crc32cJs(data, start, end), `length ${len}, whole Uint8Array`);
  }
  assert.equal(crc32c(Buffer.from('123456789'.repeat(20))), crc32cJs(Buffer.from('123456789'.repeat(20))));
});
