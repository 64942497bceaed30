import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupJson, successJson } from '../../../../../query/ruler/api/prometheus-json.js';
import { ruleDesc } from '../../../../../query/ruler/rule-group.js';

test('groupJson: Loki\'s keys in Loki\'s order, labels sorted, Go\'s escapes and times', () => {
  const evalMs = Date.parse('2026-12-03T07:47:34.035Z');
  const json = successJson({
    groups: [groupJson({
      name: 'errors', file: 'ns 1.yaml', intervalSeconds: 10, limit: 3, lastEvaluationMs: evalMs, evaluationSeconds: 0.005,
      rules: [
        {
          desc: ruleDesc({ alert: 'Fast', expr: 'x', forMs: 60_000, labels: { severity: 'page', b: '{{ $labels.level }}' }, annotations: { summary: '{{ $value }} errors' } }),
          query: '(sum(count_over_time({job="x"}[30s])) > 1)', state: 'firing', health: 'ok', lastError: '', lastEvaluationMs: evalMs, evaluationSeconds: 0.003,
          alerts: [{ labels: [{ name: 'alertname', value: 'Fast' }], annotations: { summary: '3 errors' }, state: 'firing', value: 3, activeAtMs: evalMs - 10_000, firedAtMs: evalMs, resolvedAtMs: 0, lastSentAtMs: 0, validUntilMs: 0, keepFiringSinceMs: 0 }],
        },
        { desc: ruleDesc({ record: 'r', expr: 'y' }), query: 'y', state: null, alerts: [], health: 'unknown', lastError: '', lastEvaluationMs: 0, evaluationSeconds: 0 },
      ],
    })],
  });
  assert.equal(json, '{"status":"success","data":{"groups":[{"name":"errors","file":"ns 1.yaml","rules":['
    + '{"state":"firing","name":"Fast","query":"(sum(count_over_time({job=\\"x\\"}[30s])) \\u003e 1)","duration":60,"labels":{"b":"{{ $labels.level }}","severity":"page"},"annotations":{"summary":"{{ $value }} errors"},'
    + '"alerts":[{"labels":{"alertname":"Fast"},"annotations":{"summary":"3 errors"},"state":"firing","activeAt":"2026-12-03T07:47:24.035Z","value":"3e+00"}],'
    + '"health":"ok","lastError":"","type":"alerting","lastEvaluation":"2026-12-03T07:47:34.035Z","evaluationTime":0.003},'
    + '{"name":"r","query":"y","labels":{},"health":"unknown","lastError":"","type":"recording","lastEvaluation":"0001-01-01T00:00:00Z","evaluationTime":0}],'
    + '"interval":10,"limit":3,"lastEvaluation":"2026-12-03T07:47:34.035Z","evaluationTime":0.005}]},"errorType":"","error":""}');
});
