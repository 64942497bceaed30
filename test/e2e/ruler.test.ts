/**
 * The ruler end to end, on both backends, against a real Alertmanager and a real Prometheus
 * receiving remote writes: error lines pushed to Fjord make the alerting rule pending, then
 * firing in Alertmanager, then resolved when they stop; the recording rule's samples (and the
 * ALERTS series) arrive in Prometheus with the rule's labels at the evaluation times, with the
 * values Fjord's own query API gives for those times. Rules come from a rule file on the embedded
 * backend (`ruler.storage.type: local`) and through the rules API into the bucket on Kafka+S3.
 * Intervals are short (1s evaluations, a 5s window, `for: 3s`); the issue's exact rule with
 * `for: 1m` runs once, on the embedded backend.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { alertmanagerAlerts, prometheusSamples, startAlertmanager, startPrometheus, type ServiceChild } from '../helpers/alerting-services.js';
import { metric } from '../helpers/cluster.js';
import { tempDir, waitUntil } from '../helpers/env.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';
import { fjordAlerts, fjordRules, postGroup, pushErrors } from '../helpers/ruler-helpers.js';

const TENANT = 'team-a';

const FAST_GROUP = `name: errors
interval: 1s
rules:
  - alert: HighErrors
    expr: sum by (level) (count_over_time({job="x"} |= "error" [5s])) > 5
    for: 3s
    labels:
      severity: page
      seen_level: "{{ $labels.level }}"
    annotations:
      summary: "{{ $value }} errors at level {{ $labels.level }}"
  - record: job:log_lines:count5s
    expr: sum by (job) (count_over_time({job="x"}[5s]))
    labels:
      team: sre
`;

function defined<T>(v: T | null | undefined): T {
  assert.ok(v !== null && v !== undefined);
  return v;
}

/** A rule file holding one group given as the YAML of a posted group. */
function ruleFile(groupYaml: string): string {
  const lines = groupYaml.trimEnd().split('\n');
  return `groups:\n${lines.map((l, i) => (i === 0 ? `  - ${l}` : `    ${l}`)).join('\n')}\n`;
}

async function startRulerFjord(
  t: TestContext,
  backend: (typeof BACKENDS)[number],
  am: ServiceChild,
  prom: ServiceChild,
  ruler: Record<string, unknown>,
): Promise<FjordChild> {
  const file = await backend.config(t, {
    limits_config: { reject_old_samples: false },
    ruler: {
      evaluation_interval: '1s',
      poll_interval: '1s',
      resend_delay: '1m',
      shard_count: 4,
      alertmanager_url: am.url,
      external_url: 'http://grafana.example',
      external_labels: { cluster: 'test' },
      remote_write: { enabled: true, clients: { prom: { url: `${prom.url}/api/v1/write` } } },
      ...ruler,
    },
  });
  const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`, '-server.http-listen-address=127.0.0.1']);
  await waitReady(f, 90_000);
  return f;
}

async function rulesDir(t: TestContext, groupYaml: string): Promise<string> {
  const dir = await tempDir(t, 'fjord-rules');
  await mkdir(join(dir, TENANT));
  await writeFile(join(dir, TENANT, 'alerts.yaml'), ruleFile(groupYaml));
  return dir;
}

async function instantValue(f: FjordChild, query: string, tsMs: number): Promise<number | null> {
  const res = await fetch(`${f.url}/loki/api/v1/query?${new URLSearchParams({ query, time: `${tsMs}000000` })}`, { headers: { 'x-scope-orgid': TENANT } });
  const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
  const v = body.data.result[0]?.value[1];
  return v === undefined ? null : Number(v);
}

for (const backend of BACKENDS) {
  test(`ruler (${backend.name}): pending, firing in Alertmanager, resolved; recorded samples in Prometheus`, { timeout: 180_000 }, async (t) => {
    const am = await startAlertmanager(t);
    const prom = await startPrometheus(t);
    const embedded = backend.name.startsWith('embedded');
    const f = await startRulerFjord(t, backend, am, prom, embedded ? { storage: { type: 'local', local: { directory: await rulesDir(t, FAST_GROUP) } } } : {});
    if (!embedded) {
      const posted = await postGroup(f, TENANT, 'alerts.yaml', FAST_GROUP);
      assert.equal(posted.status, 202, posted.text);
    }
    await waitUntil('the group to be loaded', async () => (await fjordRules(f, TENANT)).body.data?.groups?.length === 1, 30_000, 200);

    const errors = pushErrors(t, () => f, TENANT, { perPush: 3, everyMs: 250 });
    const pending = defined(await waitUntil('the alert to be pending', async () => (await fjordAlerts(f, TENANT)).find((a) => a.state === 'pending'), 30_000, 100));
    assert.deepEqual(pending.labels, { alertname: 'HighErrors', level: 'error', severity: 'page', seen_level: 'error' });

    const firing = defined(await waitUntil('the alert to be firing in Alertmanager', async () => (await alertmanagerAlerts(am)).find((a) => a.labels.alertname === 'HighErrors'), 30_000, 200));
    assert.deepEqual(firing.labels, { alertname: 'HighErrors', level: 'error', severity: 'page', seen_level: 'error', cluster: 'test' });
    assert.match(firing.annotations.summary ?? '', /^\d+ errors at level error$/);
    assert.equal(firing.status.state, 'active');
    assert.ok(firing.generatorURL.startsWith('http://grafana.example/explore?left='), firing.generatorURL);
    const left = JSON.parse(new URL(firing.generatorURL).searchParams.get('left') ?? '{}') as { queries: Array<{ expr: string; queryType: string }> };
    assert.equal(left.queries[0]?.queryType, 'range');
    assert.match(left.queries[0]?.expr ?? '', /count_over_time\(\{job="x"\} \|= "error"\[5s\]\)/);
    // endsAt is 4 × resend_delay ahead: the alert can only leave Alertmanager's list by being resolved.
    assert.ok(Date.parse(firing.endsAt) - Date.now() > 3 * 60_000, `endsAt ${firing.endsAt}`);
    const rulesWhileFiring = (await fjordRules(f, TENANT, '?type=alert')).body;
    assert.equal(rulesWhileFiring.data.groups[0].rules[0].state, 'firing');
    assert.equal(rulesWhileFiring.data.groups[0].rules.length, 1);

    await errors.stop();
    assert.equal(errors.failures(), 0);
    await waitUntil('the alert to be resolved in Alertmanager', async () => !(await alertmanagerAlerts(am)).some((a) => a.labels.alertname === 'HighErrors'), 40_000, 200);
    assert.deepEqual(await fjordAlerts(f, TENANT), []);

    // The recording rule's samples, as Prometheus holds them.
    const series = defined(await waitUntil('recorded samples in Prometheus', async () => {
      const s = await prometheusSamples(prom, 'job:log_lines:count5s');
      return s.length > 0 && (s[0]?.values.length ?? 0) >= 5 ? s : null;
    }, 30_000, 500));
    assert.equal(series.length, 1);
    assert.deepEqual(series[0]?.metric, { __name__: 'job:log_lines:count5s', job: 'x', team: 'sre' });
    const values = series[0]?.values ?? [];
    const tsMs = values.map(([ts]) => Math.round(ts * 1000));
    const phase = (tsMs[0] as number) % 1000;
    for (const ts of tsMs) assert.equal(ts % 1000, phase, `evaluation times ${tsMs.join(',')} share the group's phase`);
    const group = (await fjordRules(f, TENANT)).body.data.groups[0];
    assert.equal(Date.parse(group.lastEvaluation) % 1000, phase);
    // Each sample is what Fjord's own instant query answers at that time (checked on a few).
    for (const [ts, v] of values.slice(-3)) {
      assert.equal(await instantValue(f, 'sum by (job) (count_over_time({job="x"}[5s]))', Math.round(ts * 1000)), Number(v), `sample at ${ts}`);
    }
    // Metrics with Loki's names.
    const rg = /rules-temp\/team-a\/alerts\.yaml;errors$/;
    const text = await (await fetch(`${f.url}/metrics`)).text();
    const evals = /^loki_prometheus_rule_evaluations_total\{user="team-a",rule_group="([^"]+)"\} (\d+)$/m.exec(text);
    assert.match(evals?.[1] ?? '', rg);
    assert.ok(Number(evals?.[2]) > 10, 'evaluations counted');
    assert.ok(await metric(f, 'loki_prometheus_notifications_sent_total', { user: TENANT }) >= 2, 'the firing and the resolved alert sent');
    assert.equal(await metric(f, 'loki_prometheus_notifications_dropped_total'), 0);
    assert.ok(await metric(f, 'loki_ruler_wal_prometheus_remote_storage_samples_total', { tenant: TENANT }) >= values.length);
    assert.ok(await metric(f, 'loki_ruler_wal_samples_appended_total', { tenant: TENANT }) >= values.length);
    assert.equal(await metric(f, 'loki_prometheus_rule_evaluation_failures_total'), 0);
    const alertsSeries = await prometheusSamples(prom, 'ALERTS{alertname="HighErrors"}');
    assert.deepEqual(alertsSeries.map((s) => s.metric.alertstate).sort(), ['firing', 'pending']);
    assert.deepEqual({ ...alertsSeries[0]?.metric, alertstate: undefined }, { __name__: 'ALERTS', alertname: 'HighErrors', level: 'error', severity: 'page', seen_level: 'error', alertstate: undefined });
  });
}

test('ruler: the issue\'s rule with for: 1m goes pending, fires in Alertmanager, resolves (embedded)', { timeout: 300_000 }, async (t) => {
  const backend = BACKENDS.find((b) => b.name.startsWith('embedded')) as (typeof BACKENDS)[number];
  const am = await startAlertmanager(t);
  const prom = await startPrometheus(t);
  const group = `name: issue
rules:
  - alert: HighErrors
    expr: sum by (level) (count_over_time({job="x"} |= "error" [1m])) > 5
    for: 1m
  - record: level:errors:count1m
    expr: sum by (level) (count_over_time({job="x"} |= "error" [1m]))
`;
  const f = await startRulerFjord(t, backend, am, prom, { evaluation_interval: '5s', storage: { type: 'local', local: { directory: await rulesDir(t, group) } } });
  const errors = pushErrors(t, () => f, TENANT, { perPush: 1, everyMs: 1000 });
  const pending = defined(await waitUntil('pending', async () => (await fjordAlerts(f, TENANT)).find((a) => a.state === 'pending'), 60_000, 500));
  const activeAt = Date.parse(pending.activeAt);
  assert.equal((await alertmanagerAlerts(am)).length, 0, 'nothing is sent while pending');
  const firing = defined(await waitUntil('firing in Alertmanager', async () => (await alertmanagerAlerts(am)).find((a) => a.labels.alertname === 'HighErrors'), 120_000, 500));
  const firedAt = Date.parse(firing.startsAt);
  assert.ok(firedAt - activeAt >= 60_000, `fired ${firedAt - activeAt} ms after becoming active`);
  assert.ok(firedAt - activeAt < 60_000 + 10_000, `fired ${firedAt - activeAt} ms after becoming active`);
  assert.deepEqual(firing.labels, { alertname: 'HighErrors', level: 'error', cluster: 'test' });
  await errors.stop();
  await waitUntil('resolved in Alertmanager', async () => (await alertmanagerAlerts(am)).length === 0, 90_000, 500);
  const recorded = await prometheusSamples(prom, 'level:errors:count1m');
  assert.deepEqual(recorded[0]?.metric, { __name__: 'level:errors:count1m', level: 'error' });
  assert.ok((recorded[0]?.values.length ?? 0) > 10);
});
