import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERR_DUPLICATE_RECORD, recordSamples } from '../../../../query/ruler/recording-rule.js';
import { ruleDesc } from '../../../../query/ruler/rule-group.js';
import { seriesOf, staleMarkers } from '../../../../query/ruler/rule-sample.js';

const rule = ruleDesc({ record: 'job:lines:count', expr: 'x', labels: { team: 'sre', job: 'override' } });
const l = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : 1));

test('recordSamples: renamed to the record, rule labels over the sample\'s, at the evaluation time', () => {
  const out = recordSamples(rule, [{ metric: l({ job: 'x', level: 'info' }), tsMs: 1, value: 3 }], 5000, 0);
  assert.deepEqual(out, [{ labels: l({ __name__: 'job:lines:count', job: 'override', level: 'info', team: 'sre' }), tsMs: 5000, value: 3 }]);
});

test('recordSamples: duplicates after applying labels, and the group limit', () => {
  assert.throws(() => recordSamples(rule, [{ metric: l({ job: 'a' }), tsMs: 0, value: 1 }, { metric: l({ job: 'b' }), tsMs: 0, value: 1 }], 0, 0), new RegExp(ERR_DUPLICATE_RECORD));
  const two = [{ metric: l({ level: 'a' }), tsMs: 0, value: 1 }, { metric: l({ level: 'b' }), tsMs: 0, value: 1 }];
  assert.throws(() => recordSamples(rule, two, 0, 1), /exceeded limit of 1 with 2 series/);
  assert.equal(recordSamples(rule, two, 0, 2).length, 2);
});

test('staleMarkers: the series of the last evaluation missing from this one', () => {
  const a = { labels: l({ __name__: 'r', k: 'a' }), tsMs: 0, value: 1 };
  const b = { labels: l({ __name__: 'r', k: 'b' }), tsMs: 0, value: 1 };
  const stale = staleMarkers(seriesOf([a, b]), [{ ...a, tsMs: 10 }], 10);
  assert.deepEqual(stale.map((s) => [s.labels, s.tsMs, s.stale]), [[b.labels, 10, true]]);
});
