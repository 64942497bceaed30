import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanizeBytes, humanizeParseBytes } from '../../../../schemas/go/index.js';

// dustin/go-humanize ParseBytes and Bytes: SI 1000-based, IEC 1024-based.
const parses = [
  { name: 'SI MB', input: '20MB', want: { ok: true, value: 20_000_000 } },
  { name: 'IEC MiB', input: '1MiB', want: { ok: true, value: 1_048_576 } },
  { name: 'space and fraction', input: '1.5 GiB', want: { ok: true, value: 1_610_612_736 } },
  { name: 'lower case kb', input: '250kb', want: { ok: true, value: 250_000 } },
  { name: 'thousands comma', input: '1,000', want: { ok: true, value: 1000 } },
  { name: 'unknown unit', input: '3XB', want: { ok: false, error: 'unhandled size name: xb' } },
  { name: 'no number', input: 'MB', want: { ok: false, error: 'strconv.ParseFloat: parsing "": invalid syntax' } },
];
for (const c of parses) test(`humanizeParseBytes: ${c.name}`, () => assert.deepEqual(humanizeParseBytes(c.input), c.want));

const prints = [
  { name: 'below ten bytes', n: 7, want: '7 B' },
  { name: 'one decimal below ten', n: 1500, want: '1.5 kB' },
  { name: 'no decimal from ten', n: 83_000_000, want: '83 MB' },
];
for (const c of prints) test(`humanizeBytes: ${c.name}`, () => assert.equal(humanizeBytes(c.n), c.want));
