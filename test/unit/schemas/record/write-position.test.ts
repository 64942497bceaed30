import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWritePosition, encodeWritePosition } from '../../../../schemas/record/index.js';
import { FjordError } from '../../../../schemas/index.js';

test('write position: partitions in order, read back as written', () => {
  const text = encodeWritePosition(new Map([[3, 88], [0, 1200]]));
  assert.equal(text, 'v1.0-1200.3-88');
  assert.deepEqual([...decodeWritePosition(text)], [[0, 1200], [3, 88]]);
  assert.equal(encodeWritePosition(new Map()), 'v1');
  assert.deepEqual([...decodeWritePosition('v1')], []);
});

test('write position: several positions read as one, the largest offset per partition', () => {
  assert.deepEqual([...decodeWritePosition('v1.0-10.1-5, v1.0-7.2-9')].sort(), [[0, 10], [1, 5], [2, 9]]);
});

test('write position: anything else is a 400 naming the header', () => {
  for (const bad of ['', '0-12', 'v2.0-1', 'v1.0-', 'v1.a-1', 'v1.0-1.', 'v1.-1-2', 'v1.0-99999999999999999']) {
    assert.throws(() => decodeWritePosition(bad), (err: unknown) => err instanceof FjordError && err.code === 'bad_request' && err.message.startsWith(`invalid X-Fjord-Write-Position header ${JSON.stringify(bad)}`), bad);
  }
});
