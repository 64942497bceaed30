import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VectorSample } from '../../../../query/logql/index.js';
import { alertTemplateFunctions } from '../../../../query/ruler/alert-template.js';
import { AlertingRule, ERR_DUPLICATE_ALERT, RESOLVED_RETENTION_MS } from '../../../../query/ruler/alerting-rule.js';
import { ruleDesc, type RuleDesc } from '../../../../query/ruler/rule-group.js';

const ctx = { externalLabels: { cluster: 'c1' }, externalUrl: 'http://g', fns: alertTemplateFunctions('http://g') };
const S = 1000;

function sample(level: string, value: number): VectorSample {
  return { metric: [{ name: 'level', value: level }], tsMs: 0, value };
}

function rule(fields: Partial<RuleDesc>): AlertingRule {
  return new AlertingRule(ruleDesc({ alert: 'HighErrors', expr: 'x', ...fields }), ctx);
}

test('pending at once, firing once active for `for`, then resolved and sent once more', () => {
  const r = rule({ forMs: 60 * S });
  r.evaluate([sample('error', 8)], 0, 0);
  assert.equal(r.state(), 'pending');
  assert.deepEqual(r.alertsToSend(0, 60 * S, 10 * S), [], 'pending alerts are not sent');
  r.evaluate([sample('error', 9)], 50 * S, 0);
  assert.equal(r.state(), 'pending');
  r.evaluate([sample('error', 9)], 60 * S, 0);
  assert.equal(r.state(), 'firing');
  const [sent] = r.alertsToSend(60 * S, 60 * S, 10 * S);
  assert.equal(sent?.firedAtMs, 60 * S);
  assert.equal(sent?.validUntilMs, 60 * S + 4 * 60 * S, 'valid for 4 × max(interval, resend_delay)');
  assert.equal(sent?.value, 9);
  assert.deepEqual(r.alertsToSend(70 * S, 60 * S, 10 * S), [], 'not again before resend_delay');
  assert.equal(r.alertsToSend(121 * S, 60 * S, 10 * S).length, 1, 'again after resend_delay');
  r.evaluate([], 130 * S, 0);
  assert.equal(r.state(), 'inactive');
  assert.deepEqual(r.activeAlerts(), [], 'resolved alerts are not listed');
  const [resolved] = r.alertsToSend(130 * S, 60 * S, 10 * S);
  assert.equal(resolved?.resolvedAtMs, 130 * S, 'a resolution is sent at once');
  assert.equal(r.alertsToSend(191 * S, 60 * S, 10 * S).length, 1, 'and re-sent while retained');
  r.evaluate([], 130 * S + RESOLVED_RETENTION_MS + 1, 0);
  r.evaluate([], 130 * S + RESOLVED_RETENTION_MS + 2, 0);
  assert.deepEqual(r.alertsToSend(10 * 3600 * S, 60 * S, 10 * S), [], 'dropped after 15 minutes');
});

test('a pending alert whose sample goes away is dropped, never sent', () => {
  const r = rule({ forMs: 60 * S });
  r.evaluate([sample('error', 8)], 0, 0);
  r.evaluate([], 10 * S, 0);
  assert.equal(r.state(), 'inactive');
  assert.deepEqual(r.alertsToSend(10 * S, 0, 10 * S), []);
});

test('for: 0 fires in the same evaluation', () => {
  const r = rule({});
  r.evaluate([sample('error', 8)], 5 * S, 0);
  assert.equal(r.state(), 'firing');
});

test('keep_firing_for keeps a firing alert after its sample is gone, then resolves it', () => {
  const r = rule({ keepFiringForMs: 30 * S });
  r.evaluate([sample('error', 8)], 0, 0);
  r.evaluate([], 10 * S, 0);
  assert.equal(r.state(), 'firing');
  r.evaluate([], 39 * S, 0);
  assert.equal(r.state(), 'firing');
  r.evaluate([], 40 * S, 0);
  assert.equal(r.state(), 'inactive');
});

test('keep_firing_for restarts when the sample comes back', () => {
  const r = rule({ keepFiringForMs: 30 * S });
  r.evaluate([sample('error', 8)], 0, 0);
  r.evaluate([], 10 * S, 0);
  r.evaluate([sample('error', 8)], 20 * S, 0);
  r.evaluate([], 30 * S, 0);
  r.evaluate([], 55 * S, 0);
  assert.equal(r.state(), 'firing', 'keep-firing counts from the second absence');
});

test('labels and annotations are templates; the identity includes templated labels and alertname, never __name__', () => {
  const r = rule({ labels: { severity: 'page', where: '{{ $labels.level }}-{{ $externalLabels.cluster }}' }, annotations: { summary: '{{ $value }} at {{ $labels.level }} ({{ humanize $value }})' } });
  const out = r.evaluate([{ metric: [{ name: '__name__', value: 'x' }, { name: 'level', value: 'error' }], tsMs: 0, value: 1234.5 }], 0, 0);
  const [a] = r.activeAlerts();
  assert.deepEqual(a?.labels, [{ name: 'alertname', value: 'HighErrors' }, { name: 'level', value: 'error' }, { name: 'severity', value: 'page' }, { name: 'where', value: 'error-c1' }]);
  assert.deepEqual(a?.annotations, { summary: '1234.5 at error (1.234k)' });
  assert.deepEqual(out.map((s) => Object.fromEntries(s.labels.map((l) => [l.name, l.value]))), [
    { __name__: 'ALERTS', alertname: 'HighErrors', alertstate: 'firing', level: 'error', severity: 'page', where: 'error-c1' },
    { __name__: 'ALERTS_FOR_STATE', alertname: 'HighErrors', level: 'error', severity: 'page', where: 'error-c1' },
  ]);
});

test('a template that fails to expand reads as Prometheus writes it', () => {
  const r = rule({ annotations: { s: '{{ humanize "x" }}' } });
  r.evaluate([sample('error', 1)], 0, 0);
  assert.match(r.activeAlerts()[0]?.annotations.s ?? '', /^<error expanding template: .*invalid syntax/);
});

test('two samples with one label set after templating are refused', () => {
  const r = rule({ labels: { level: 'fixed' } });
  assert.throws(() => r.evaluate([sample('a', 1), sample('b', 1)], 0, 0), new RegExp(ERR_DUPLICATE_ALERT));
});

test('more alerts than the group limit fail the rule and wipe its alerts', () => {
  const r = rule({});
  assert.throws(() => r.evaluate([sample('a', 1), sample('b', 1), sample('c', 1)], 0, 2), /^Error: exceeded limit of 2 with 3 alerts$/);
  assert.equal(r.state(), 'inactive');
});

test('a raised `for` sends a firing alert back to pending', () => {
  const r = rule({});
  r.evaluate([sample('error', 1)], 0, 0);
  assert.equal(r.state(), 'firing');
  const raised = new AlertingRule(ruleDesc({ alert: 'HighErrors', expr: 'x', forMs: 60 * S }), ctx);
  raised.evaluate([sample('error', 1)], 0, 0);
  raised.evaluate([sample('error', 1)], 10 * S, 0);
  assert.equal(raised.state(), 'pending');
});

test('ALERTS_FOR_STATE holds the activation time in seconds', () => {
  const r = rule({ forMs: 60 * S });
  r.evaluate([sample('error', 8)], 1_700_000_000_500, 0);
  const out = r.evaluate([sample('error', 8)], 1_700_000_010_500, 0);
  assert.equal(out.find((s) => s.labels.some((l) => l.value === 'ALERTS_FOR_STATE'))?.value, 1_700_000_000);
  assert.equal(out.find((s) => s.labels.some((l) => l.value === 'ALERTS'))?.labels.find((l) => l.name === 'alertstate')?.value, 'pending');
});

test('restore: an alert whose series was there `for` ago is active since then and fires next time', () => {
  const r = rule({ forMs: 600 * S, labels: { severity: 'page' } });
  const now = 10_000 * S;
  r.evaluate([sample('error', 8), sample('warn', 9)], now, 0);
  r.restore([sample('error', 7)], now);
  const active = r.activeAlerts();
  assert.deepEqual(active.map((a) => [a.labels.find((l) => l.name === 'level')?.value, a.activeAtMs]), [['error', now - 600 * S], ['warn', now]]);
  r.evaluate([sample('error', 8), sample('warn', 9)], now + 10 * S, 0);
  assert.deepEqual(r.activeAlerts().map((a) => a.state), ['firing', 'pending']);
});
