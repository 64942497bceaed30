import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeRuleGroupProto, encodeRuleGroupProto } from '../../../../query/ruler/rule-group-proto.js';
import { ruleDesc } from '../../../../query/ruler/rule-group.js';
import { ruleGroupKey } from '../../../../query/ruler/rule-store.js';

const lokiObject = readFileSync(new URL('../../../../../test/fixtures/ruler/loki-rule-group.pb', import.meta.url));

test('decodeRuleGroupProto reads the object Loki stored', () => {
  const g = decodeRuleGroupProto(lokiObject);
  assert.deepEqual(g, {
    name: 'errors', namespace: 'ns 1.yaml', tenant: 'team-a', intervalMs: 10_000, limit: 3,
    rules: [
      ruleDesc({ alert: 'HighErrors', expr: 'sum by (level) (count_over_time({job="x"} |= "error" [1m])) > 5', forMs: 60_000,
        labels: { b: '{{ $labels.level }}', severity: 'page' }, annotations: { summary: '{{ $value }} errors: at {{ $labels.level }}' } }),
      ruleDesc({ record: 'job:errors:count', expr: 'sum(count_over_time({job="x"}[1m]))', labels: { team: 'yes' } }),
    ],
  });
});

test('encodeRuleGroupProto writes the bytes Loki writes', () => {
  assert.deepEqual(Buffer.from(encodeRuleGroupProto(decodeRuleGroupProto(lokiObject))), lokiObject);
});

test('keep_firing_for and sub-second durations survive a round trip', () => {
  const g = { name: 'g', namespace: 'n', tenant: 't', intervalMs: 1500, limit: 0, rules: [ruleDesc({ alert: 'A', expr: 'x', forMs: 90_500, keepFiringForMs: 120_000 })] };
  assert.deepEqual(decodeRuleGroupProto(encodeRuleGroupProto(g)), g);
});

test('ruleGroupKey: Loki\'s bucket key (padded base64url of namespace and group)', () => {
  assert.equal(ruleGroupKey('team-a', 'ns 1.yaml', 'errors'), 'rules/team-a/bnMgMS55YW1s/ZXJyb3Jz');
  assert.equal(ruleGroupKey('team-a', 'ns1', 'g'), 'rules/team-a/bnMx/Zw==');
});

test('decodeRuleGroupProto refuses truncated bytes', () => {
  assert.throws(() => decodeRuleGroupProto(lokiObject.subarray(0, 40)), /unexpected EOF/);
});
