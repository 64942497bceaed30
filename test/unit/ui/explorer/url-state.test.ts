import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_STATE, readState, writeState } from '../../../../ui/explorer/url-state.js';

test('url state: defaults write an empty query string and read back', () => {
  assert.equal(writeState(DEFAULT_STATE), '');
  assert.deepEqual(readState(''), DEFAULT_STATE);
});

test('url state: every field round-trips', () => {
  const s = { query: '{job="x"} |= "a b"', from: '2026-12-03 10:00:00', to: 'now-5m', limit: 500, direction: 'forward' as const, tenant: 'team-a' };
  const search = writeState(s);
  assert.equal(search, '?query=%7Bjob%3D%22x%22%7D+%7C%3D+%22a+b%22&from=2026-12-03+10%3A00%3A00&to=now-5m&limit=500&direction=forward&orgId=team-a');
  assert.deepEqual(readState(search), s);
});

const bad = [
  { name: 'limit not a number', search: '?limit=abc', want: { ...DEFAULT_STATE } },
  { name: 'limit zero', search: '?limit=0', want: { ...DEFAULT_STATE } },
  { name: 'unknown direction', search: '?direction=sideways', want: { ...DEFAULT_STATE } },
  { name: 'empty from', search: '?from=', want: { ...DEFAULT_STATE } },
];
for (const c of bad) test(`url state: ${c.name} falls back to the default`, () => assert.deepEqual(readState(c.search), c.want));
