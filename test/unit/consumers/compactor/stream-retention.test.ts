import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latestCutoffNs, retentionPeriodFor, retentionRules, streamCutoff } from '../../../../consumers/compactor/stream-retention.js';
import { applyRetention } from '../../../../consumers/compactor/retention.js';
import { labelsFromObject } from '../../../../schemas/labels/index.js';
import { compileLogSelector } from '../../../../query/logql/index.js';
import { refOf, seriesOf } from '../../../helpers/index-bundles.js';

const H = 3_600_000;
const compile = (s: string) => {
  const c = compileLogSelector(s);
  return (l: Parameters<typeof c.matchesStream>[0]) => c.matchesStream(l);
};
// Loki's documented example (docs/sources/operations/storage/retention.md): tenant retention 168h,
// {namespace="prod"} priority 2 for 336h, {container="loki"} priority 1 for 72h.
const rules = retentionRules([
  { selector: '{namespace="prod"}', priority: 2, period: 336 * H },
  { selector: '{container="loki"}', priority: 1, period: 72 * H },
], compile);

const CASES = [
  { name: 'the higher priority wins even when another rule matches', labels: { namespace: 'prod', container: 'loki' }, want: 336 * H },
  { name: 'the only matching rule', labels: { namespace: 'dev', container: 'loki' }, want: 72 * H },
  { name: 'no rule matches: the tenant retention_period', labels: { namespace: 'dev', container: 'nginx' }, want: 168 * H },
] as const;
for (const c of CASES) {
  test(`retentionPeriodFor: ${c.name}`, () => assert.equal(retentionPeriodFor(labelsFromObject(c.labels), rules, 168 * H), c.want));
}

test('retentionPeriodFor: of equal priorities the shorter period wins', () => {
  const tie = retentionRules([{ selector: '{a="1"}', priority: 1, period: 48 * H }, { selector: '{a=~".+"}', priority: 1, period: 24 * H }], compile);
  assert.equal(retentionPeriodFor(labelsFromObject({ a: '1' }), tie, 0), 24 * H);
});

test('latestCutoffNs: from the shortest period of rules and tenant; null when all keep forever', () => {
  const now = 1000 * H;
  assert.equal(latestCutoffNs(rules, 168 * H, now), BigInt(now - 72 * H) * 1_000_000n);
  assert.equal(latestCutoffNs(rules, 0, now), BigInt(now - 72 * H) * 1_000_000n);
  assert.equal(latestCutoffNs([], 0, now), null);
});

test('applyRetention with per-stream cutoffs: each ref by its series rule', () => {
  const now = 1000 * H;
  const prod = seriesOf({ namespace: 'prod' });
  const loki = seriesOf({ container: 'loki' });
  const other = seriesOf({ app: 'x' });
  const at = (hoursAgo: number) => BigInt(now - hoursAgo * H) * 1_000_000n;
  const input = {
    period: 1, tenant: 't', series: [prod, loki, other],
    chunks: [refOf(prod, at(200), at(200), 1), refOf(loki, at(100), at(100), 2), refOf(other, at(100), at(100), 3), refOf(other, at(200), at(200), 4)],
  };
  const { kept, expired } = applyRetention(input, streamCutoff(rules, 168 * H, now));
  assert.deepEqual(kept.chunks.map((c) => c.checksum), [1, 3]);
  assert.deepEqual(expired.map((c) => c.checksum), [2, 4]);
  assert.deepEqual(kept.series.map((s) => s.fingerprint), [prod.fingerprint, other.fingerprint]);
});
