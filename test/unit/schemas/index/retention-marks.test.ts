import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFjordError } from '../../../../schemas/index.js';
import {
  chunkKey, decodeRetentionMark, encodeRetentionMark, parseRetentionMarkKey, retentionMarkKey,
} from '../../../../schemas/index/index.js';

const chunk = chunkKey({ tenant: 't', fingerprint: '0123456789abcdef', fromNs: 1n, throughNs: 2n, checksum: 3 });

test('retention mark keys sort by mark time and parse back', () => {
  const k1 = retentionMarkKey({ markedAtMs: 999, id: 'x' });
  const k2 = retentionMarkKey({ markedAtMs: 1_700_000_000_000, id: 'a' });
  assert.equal(k1, 'compactor/retention-marks/0000000000999-x');
  assert.ok(k1 < k2);
  assert.deepEqual(parseRetentionMarkKey(k2), { markedAtMs: 1_700_000_000_000, id: 'a' });
});

const badKeys = [
  { name: 'another prefix', key: 'index/1/t/x' },
  { name: 'short time', key: 'compactor/retention-marks/999-x' },
  { name: 'no id', key: 'compactor/retention-marks/0000000000999-' },
  { name: 'nested', key: 'compactor/retention-marks/0000000000999-x/y' },
];
for (const c of badKeys) test(`parseRetentionMarkKey: ${c.name} is not a mark`, () => assert.equal(parseRetentionMarkKey(c.key), null));

test('retentionMarkKey refuses bad parts', () => {
  assert.throws(() => retentionMarkKey({ markedAtMs: -1, id: 'x' }), (e) => isFjordError(e, 'invalid_object_key'));
  assert.throws(() => retentionMarkKey({ markedAtMs: 1, id: 'a/b' }), (e) => isFjordError(e, 'invalid_object_key'));
});

test('retention mark bodies round-trip; bad bodies are index_corrupt', () => {
  assert.deepEqual(decodeRetentionMark(encodeRetentionMark([chunk])), [chunk]);
  assert.deepEqual(decodeRetentionMark(encodeRetentionMark([])), []);
  assert.throws(() => encodeRetentionMark(['not/a/chunk']), (e) => isFjordError(e, 'invalid_object_key'));
  assert.throws(() => decodeRetentionMark(new TextEncoder().encode('nope\n')), (e) => isFjordError(e, 'index_corrupt'));
  assert.throws(() => decodeRetentionMark(new TextEncoder().encode('FJRM1\nbad key\n')), (e) => isFjordError(e, 'index_corrupt'));
});
