/**
 * Durations: Prometheus and Go parsing and printing (model.Duration, time.Duration).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration, formatPromDuration, parseGoDuration, parsePromDuration } from '../../../../schemas/go/index.js';

const S = 1_000_000_000n;
const cases = [
  { name: 'prom 5m', fn: () => parsePromDuration('5m'), want: { ok: true, value: 300n * S } },
  { name: 'prom 1h30m', fn: () => parsePromDuration('1h30m'), want: { ok: true, value: 5400n * S } },
  { name: 'prom 1d', fn: () => parsePromDuration('1d'), want: { ok: true, value: 86400n * S } },
  { name: 'prom unknown unit', fn: () => parsePromDuration('5minutes'), want: { ok: false, error: 'unknown unit "minutes" in duration "5minutes"' } },
  { name: 'prom order', fn: () => parsePromDuration('1m1h'), want: { ok: false, error: 'not a valid duration string: "1m1h"' } },
  { name: 'go 1.5h', fn: () => parseGoDuration('1.5h'), want: { ok: true, value: 5400n * S } },
  { name: 'go -250ms', fn: () => parseGoDuration('-250ms'), want: { ok: true, value: -250_000_000n } },
  { name: 'go missing unit', fn: () => parseGoDuration('10'), want: { ok: false, error: 'time: missing unit in duration "10"' } },
  { name: 'go invalid', fn: () => parseGoDuration('abc'), want: { ok: false, error: 'time: invalid duration "abc"' } },
];
for (const c of cases) test(`durations: ${c.name}`, () => assert.deepEqual(c.fn(), c.want));

const formats = [
  { name: 'go 1h', ns: 3600n * S, go: '1h0m0s', prom: '1h' },
  { name: 'go 90s', ns: 90n * S, go: '1m30s', prom: '1m30s' },
  { name: 'go 250ms', ns: 250_000_000n, go: '250ms', prom: '250ms' },
  { name: 'go 1.5s', ns: 1_500_000_000n, go: '1.5s', prom: '1s500ms' },
  { name: 'zero', ns: 0n, go: '0s', prom: '0s' },
  { name: 'weeks only when exact', ns: 14n * 86400n * S, go: '336h0m0s', prom: '2w' },
];
for (const f of formats) {
  test(`durations format: ${f.name}`, () => {
    assert.equal(formatGoDuration(f.ns), f.go);
    assert.equal(formatPromDuration(f.ns), f.prom);
  });
}
