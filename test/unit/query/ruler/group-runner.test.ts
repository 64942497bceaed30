/** The evaluation of one group, with the rule query replaced by a table of results (the query path has its own tests). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { silentLogger } from '../../../../platform/index.js';
import type { VectorSample } from '../../../../query/logql/index.js';
import { alertTemplateFunctions } from '../../../../query/ruler/alert-template.js';
import type { Alert } from '../../../../query/ruler/alerting-rule.js';
import { GroupRunner, type RuleQuery } from '../../../../query/ruler/group-runner.js';
import { rulerMetrics } from '../../../../query/ruler/metrics.js';
import { ruleDesc, type RuleGroupDesc } from '../../../../query/ruler/rule-group.js';
import type { RuleSample } from '../../../../query/ruler/rule-sample.js';

const S = 1000;
const group: RuleGroupDesc = {
  name: 'g', namespace: 'ns', tenant: 't', intervalMs: 10 * S, limit: 0,
  rules: [
    ruleDesc({ alert: 'High', expr: 'sum by (level) (count_over_time({a="b"}[1m])) > 5', forMs: 600 * S }),
    ruleDesc({ record: 'level:count', expr: 'sum by (level) (count_over_time({a="b"}[1m]))' }),
    ruleDesc({ record: 'broken', expr: '{a="b"}' }),
  ],
};

function setup(results: (query: string, tsMs: number) => VectorSample[]) {
  const sent: Array<{ alerts: readonly Alert[]; query: string }> = [];
  const appended: RuleSample[][] = [];
  const queried: Array<[string, number]> = [];
  const query: RuleQuery = async (_tenant, expr, q, tsMs) => {
    queried.push([q, tsMs]);
    if (expr.kind === 'logSelector') throw new Error('rule result is not a vector or scalar');
    return results(q, tsMs);
  };
  const registry = new Registry();
  const runner = new GroupRunner(group, {
    query,
    notify: (alerts, q) => sent.push({ alerts, query: q }),
    append: async (samples) => void appended.push([...samples]),
    alertContext: { externalLabels: {}, externalUrl: '', fns: alertTemplateFunctions('') },
    defaultIntervalMs: 60 * S, resendDelayMs: 60 * S, forGracePeriodMs: 600 * S, outageToleranceMs: 3600 * S,
    metrics: rulerMetrics(registry), metricLabels: { user: 't', rule_group: 'p/t/ns;g' }, logger: silentLogger(),
  });
  return { runner, sent, appended, queried, registry };
}

const v = (level: string, value: number): VectorSample => ({ metric: [{ name: 'level', value: level }], tsMs: 0, value });

test('a group evaluates each rule; a failing rule fails alone', async () => {
  const t0 = 1_000_000 * S;
  const { runner, appended, registry } = setup((q) => (q.includes('> 5') ? [v('error', 8)] : [v('error', 8), v('info', 2)]));
  await runner.evaluate(t0);
  const [alerting, recording, broken] = runner.rules;
  assert.deepEqual([alerting?.health, recording?.health, broken?.health], ['ok', 'ok', 'err']);
  assert.equal(broken?.lastError, 'rule result is not a vector or scalar');
  assert.equal(recording?.query, 'sum by (level)(count_over_time({a="b"}[1m]))', 'the re-printed LogQL, as Loki shows it');
  assert.equal(runner.lastEvaluationMs, t0);
  const written = appended.flat();
  assert.deepEqual(written.filter((s) => s.labels.some((l) => l.value === 'level:count')).map((s) => [s.labels.find((l) => l.name === 'level')?.value, s.value, s.tsMs]), [['error', 8, t0], ['info', 2, t0]]);
  const metrics = await registry.getMetricsAsJSON();
  const evals = metrics.find((m) => m.name === 'loki_prometheus_rule_evaluations_total')?.values[0];
  const failures = metrics.find((m) => m.name === 'loki_prometheus_rule_evaluation_failures_total')?.values[0];
  assert.deepEqual([evals?.value, failures?.value, evals?.labels], [3, 1, { user: 't', rule_group: 'p/t/ns;g' }]);
});

test('series that vanish get a staleness marker at the next evaluation', async () => {
  let round = 0;
  const { runner, appended } = setup((q) => (q.includes('> 5') ? [] : round === 0 ? [v('error', 8), v('info', 2)] : [v('error', 9)]));
  await runner.evaluate(1000 * S);
  round = 1;
  await runner.evaluate(1010 * S);
  const second = appended.slice(2).flat().filter((s) => s.labels.some((l) => l.value === 'level:count'));
  assert.deepEqual(second.map((s) => [s.labels.find((l) => l.name === 'level')?.value, s.stale === true]), [['error', false], ['info', true]]);
});

test('the first evaluation restores the for state of long `for` rules (query at ts - for), and it fires next', async () => {
  const t0 = 1_000_000 * S;
  const { runner, sent, queried } = setup((q) => (q.includes('> 5') ? [v('error', 8)] : []));
  await runner.evaluate(t0);
  assert.ok(queried.some(([q, ts]) => q.includes('> 5') && ts === t0 - 600 * S), 'restore queried ts - for');
  assert.equal(runner.rules[0]?.alerting?.state(), 'pending');
  await runner.evaluate(t0 + 10 * S);
  assert.equal(runner.rules[0]?.alerting?.state(), 'firing');
  const fired = sent.flatMap((s) => s.alerts);
  assert.equal(fired.length, 1);
  assert.equal(fired[0]?.activeAtMs, t0 - 600 * S);
});
