import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStep, niceStepMs, resolveTime } from '../../../../ui/explorer/time-range.js';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const times = [
  { name: 'now', text: 'now', want: NOW },
  { name: 'minutes ago', text: 'now-15m', want: NOW - 15 * 60_000 },
  { name: 'days ago with spaces', text: 'now - 2d', want: NOW - 2 * 86_400_000 },
  { name: 'weeks ago', text: 'now-1w', want: NOW - 604_800_000 },
  { name: 'ISO with zone', text: '2026-12-03T10:00:00Z', want: Date.UTC(2026, 11, 3, 10) },
  { name: 'epoch ms', text: '1796292000000', want: 1796292000000 },
  { name: 'local date and time', text: '2026-12-03 10:00:00', want: new Date(2026, 11, 3, 10).getTime() },
  { name: 'nonsense', text: 'yesterday-ish', want: null },
  { name: 'unknown unit', text: 'now-5y', want: null },
];
for (const c of times) test(`resolveTime: ${c.name}`, () => assert.equal(resolveTime(c.text, NOW), c.want));

const steps = [
  { name: 'five minutes', spanMs: 5 * 60_000, want: 5000 },
  { name: 'one hour', spanMs: 3_600_000, want: 60_000 },
  { name: 'one day', spanMs: 86_400_000, want: 900_000 },
  { name: 'a tiny range', spanMs: 10, want: 1000 },
  { name: 'a year', spanMs: 365 * 86_400_000, want: 4 * 86_400_000 },
];
for (const c of steps) test(`niceStepMs: ${c.name}`, () => assert.equal(niceStepMs(c.spanMs), c.want));

const formats = [{ ms: 5000, want: '5s' }, { ms: 300_000, want: '5m' }, { ms: 7_200_000, want: '2h' }, { ms: 90_000, want: '90s' }];
for (const c of formats) test(`formatStep: ${c.want}`, () => assert.equal(formatStep(c.ms), c.want));
