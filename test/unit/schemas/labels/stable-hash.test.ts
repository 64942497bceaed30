/**
 * labels.StableHash of two stream label sets, computed by Prometheus's StableHash over
 * github.com/cespare/xxhash/v2 (the copies vendored by Loki).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labelsStableHash } from '../../../../schemas/labels/index.js';

test('labelsStableHash: as Prometheus labels.StableHash', () => {
  assert.equal(labelsStableHash([{ name: 'app', value: 'api' }, { name: 'pod', value: 'pod-0' }]), 2621548989752919362n);
  assert.equal(labelsStableHash([{ name: 'app', value: 'api' }, { name: 'pod', value: 'pod-1' }]), 16987583977163190554n);
});
