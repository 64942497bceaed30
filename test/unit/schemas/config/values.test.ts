import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseBytes, parseDuration } from '../../../../schemas/config/index.js';

const durations = [
  { name: 'zero', input: '0', want: 0 },
  { name: 'seconds', input: '30s', want: 30_000 },
  { name: 'compound', input: '1h30m', want: 5_400_000 },
  { name: 'milliseconds', input: '500ms', want: 500 },
  { name: 'days and weeks', input: '1w2d', want: 9 * 86_400_000 },
  { name: 'fraction', input: '1.5h', want: 5_400_000 },
  { name: 'negative', input: '-5m', want: -300_000 },
  { name: 'microseconds', input: '1500us', want: 1.5 },
  { name: 'bare number is not a duration', input: '30', want: null },
  { name: 'unknown unit', input: '2x', want: null },
  { name: 'empty', input: '', want: null },
  { name: 'Prometheus units out of order', input: '1d1w', want: null },
  { name: 'surrounding spaces', input: ' 5m ', want: 300_000 },
];
for (const c of durations) test(`parseDuration: ${c.name}`, () => assert.equal(parseDuration(c.input), c.want));

const formats = [
  { name: 'hours and minutes', ms: 5_400_000, want: '1h30m' },
  { name: 'zero', ms: 0, want: '0s' },
  { name: 'a week in hours', ms: 604_800_000, want: '168h' },
  { name: 'sub-second', ms: 1500, want: '1s500ms' },
];
for (const c of formats) test(`formatDuration: ${c.name}`, () => assert.equal(formatDuration(c.ms), c.want));

const sizes = [
  { name: 'plain bytes', input: '262144', want: 262_144 },
  { name: 'KB is 1024', input: '256KB', want: 262_144 },
  { name: 'fractional MB', input: '1.5MB', want: 1_572_864 },
  { name: 'GiB', input: '4GiB', want: 4 * 1024 ** 3 },
  { name: 'lower case', input: '64kb', want: 65_536 },
  { name: 'bad unit', input: '3XB', want: null },
  { name: 'negative', input: '-1', want: null },
];
for (const c of sizes) test(`parseBytes: ${c.name}`, () => assert.equal(parseBytes(c.input), c.want));
