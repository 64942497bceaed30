import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etaMs, formatElapsed, formatRate } from '../../../../platform/runtime/progress-format.js';

const elapsedCases = [
  { ms: 850, want: '850ms' },
  { ms: 12_340, want: '12.3s' },
  { ms: 245_000, want: '4m05s' },
  { ms: 7_380_000, want: '2h03m' },
];
for (const c of elapsedCases) test(`formatElapsed(${c.ms})`, () => assert.equal(formatElapsed(c.ms), c.want));

const rateCases = [
  { items: 10, ms: 0, want: '-' },
  { items: 500, ms: 1000, want: '500/s' },
  { items: 25_000, ms: 2000, want: '12.5k/s' },
];
for (const c of rateCases) test(`formatRate(${c.items}, ${c.ms})`, () => assert.equal(formatRate(c.items, c.ms), c.want));

const etaCases = [
  { name: 'nothing done yet', done: 0, total: 10, ms: 100, want: null },
  { name: 'half done', done: 5, total: 10, ms: 100, want: 100 },
  { name: 'all done', done: 10, total: 10, ms: 100, want: 0 },
];
for (const c of etaCases) test(`etaMs: ${c.name}`, () => assert.equal(etaMs(c.done, c.total, c.ms), c.want));
