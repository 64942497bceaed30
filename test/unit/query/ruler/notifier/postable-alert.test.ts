import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { alertsBody, generatorUrl, postableAlert } from '../../../../../query/ruler/notifier/postable-alert.js';
import type { Alert } from '../../../../../query/ruler/alerting-rule.js';

const lokiPost = JSON.parse(readFileSync(new URL('../../../../../../test/fixtures/ruler/loki-alert-post.json', import.meta.url), 'utf8')) as { body: string };
const src = { externalUrl: 'http://grafana.example', datasourceUid: 'loki-uid', externalLabels: { cluster: 'test' } };
// The expression as Loki's ruler printed it for the fixture's rule.
const expr = '(sum by (level)(count_over_time({job="x"} |= "error"[30s])) > 1)';

test('postableAlert: the body Loki posted to Alertmanager, byte for byte', () => {
  const firedAt = Date.parse('2026-12-03T07:47:24.035Z');
  const alert: Alert = {
    labels: [{ name: 'alertname', value: 'Fast' }, { name: 'level', value: 'error' }, { name: 'severity', value: 'page' }],
    annotations: { summary: '3 errors' }, state: 'firing', value: 3, activeAtMs: firedAt, firedAtMs: firedAt,
    resolvedAtMs: 0, lastSentAtMs: firedAt, validUntilMs: firedAt + 8000, keepFiringSinceMs: 0,
  };
  assert.equal(alertsBody([postableAlert(alert, expr, src)]), lokiPost.body);
});

test('postableAlert: a resolved alert ends at its resolution; no annotations key when none', () => {
  const a: Alert = { labels: [{ name: 'alertname', value: 'A' }, { name: 'cluster', value: 'own' }], annotations: {}, state: 'inactive', value: 1, activeAtMs: 1000, firedAtMs: 2000, resolvedAtMs: 3000, lastSentAtMs: 2000, validUntilMs: 99_000, keepFiringSinceMs: 0 };
  const p = postableAlert(a, 'x', src);
  assert.equal(p.endsAt, '1970-01-01T00:00:03.000Z');
  assert.equal(p.labels.cluster, 'own', 'external labels do not override the alert\'s');
  assert.ok(!('annotations' in p));
});

test('generatorUrl: without a datasource_uid the datasource is left out', () => {
  assert.equal(generatorUrl({ ...src, datasourceUid: '' }, 'a > 1'), 'http://grafana.example/explore?left=%7B%22queries%22%3A%5B%7B%22expr%22%3A%22a+%5Cu003e+1%22%2C%22queryType%22%3A%22range%22%7D%5D%7D');
});
