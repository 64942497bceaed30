/**
 * The Grafana dashboards (deploy/grafana/dashboards) and Prometheus alert rules (deploy/alerts)
 * use only what Fjord exports: a Fjord running every target on the real Kafka and S3 is given
 * some traffic (pushes, a refused push, queries, a flush, a compaction round), its /metrics is
 * scraped, and every metric an expression selects must be one of its metric families; every
 * label an expression matches or groups by must be on the samples of the metrics it reads (or a
 * label Prometheus adds when it scrapes).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { parse } from 'yaml';
import { newCluster, startRole } from '../helpers/cluster.js';
import { pushStreams } from '../helpers/fjord-command.js';
import { waitUntil } from '../helpers/env.js';
import { projectRoot } from '../helpers/k8s-tools.js';
import { familyOf, parseExposition, promqlNames, type Scrape } from '../helpers/promql-names.js';

/** Labels the scrape adds (Prometheus' job and instance, the chart's ServiceMonitor, Kubernetes' pod labels). */
const TARGET_LABELS = new Set(['cluster', 'namespace', 'job', 'instance', 'pod', 'container', 'service', 'component', 'le']);

interface Expression {
  readonly where: string;
  readonly expr: string;
}

function dashboardExpressions(): Expression[] {
  const dir = join(projectRoot, 'deploy/grafana/dashboards');
  const out: Expression[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
      templating: { list: Array<{ name: string; definition?: string }> };
    };
    for (const p of d.panels) for (const t of p.targets ?? []) out.push({ where: `${file}: ${p.title}`, expr: t.expr });
    for (const v of d.templating.list) {
      const m = /^label_values\((\w+),\s*(\w+)\)$/.exec(v.definition ?? '');
      if (v.definition !== undefined) assert.ok(m, `${file}: variable ${v.name} is label_values(metric, label)`);
      if (m) out.push({ where: `${file}: variable ${v.name}`, expr: `${m[1]}{${m[2]}=~".*"}` });
    }
  }
  return out;
}

function alertExpressions(): Expression[] {
  const dir = join(projectRoot, 'deploy/alerts');
  const out: Expression[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const doc = parse(readFileSync(join(dir, file), 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string; record?: string; expr: string }> }> };
    for (const g of doc.groups) for (const r of g.rules) out.push({ where: `${file}: ${r.alert ?? r.record}`, expr: r.expr });
  }
  return out;
}

const EXTRACTION_CASES = [
  { name: 'histogram quantile with grouping and matchers', expr: 'histogram_quantile(0.99, sum by (le, route) (rate(loki_request_duration_seconds_bucket{route=~"a|b", cluster=~"$cluster"}[$__rate_interval])))', metrics: ['loki_request_duration_seconds_bucket'], labels: ['cluster', 'le', 'route'] },
  { name: 'binary operation and keywords', expr: 'a_total + 1 > b_gauge and on (partition) changes(c[15m]) == 0 unless d offset 5m', metrics: ['a_total', 'b_gauge', 'c', 'd'], labels: ['partition'] },
  { name: 'numbers and strings are not names', expr: 'time() - (x > 0) > 60 * 60 * 3 or vector(1e3) or y{l="has spaces and words"}', metrics: ['x', 'y'], labels: ['l'] },
] as const;

for (const c of EXTRACTION_CASES) {
  test(`promqlNames: ${c.name}`, () => {
    const got = promqlNames(c.expr);
    assert.deepEqual(got.metrics.sort(), [...c.metrics].sort());
    assert.deepEqual(got.labels.sort(), [...c.labels].sort());
  });
}

/** Label names on the samples of the families an expression reads. */
function labelsSeen(scrape: Scrape, families: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const [sample, labels] of scrape.sampleLabels) {
    if (families.includes(familyOf(scrape, sample) ?? '')) for (const l of labels) out.add(l);
  }
  return out;
}

test('dashboards and alerts use only metrics and labels a running Fjord exports', { timeout: 180_000 }, async (t) => {
  const c = await newCluster(t, 2, ['-distributor.max-line-size=1KB', '-querier.cache-results=true', '-compactor.retention-enabled=true', '-store.retention=744h']);
  const fjord = await startRole(t, c, 'all');
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  await pushStreams(fjord.url, 'team-a', [{ labels: { app: 'dash', level: 'info' }, entries: [[nowNs - 1_000_000_000n, 'ok line'], [nowNs, 'another line']] }]);
  const refused = await fetch(`${fjord.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-scope-orgid': 'team-a' },
    body: JSON.stringify({ streams: [{ stream: { app: 'dash' }, values: [[String(nowNs), 'x'.repeat(4096)]] }] }),
  });
  assert.equal(refused.status, 400);
  const range = { start: String(nowNs - 3_600_000_000_000n), end: String(nowNs + 60_000_000_000n) };
  await waitUntil('the pushed lines to be queryable', async () => {
    const res = await fetch(`${fjord.url}/loki/api/v1/query_range?${new URLSearchParams({ query: '{app="dash"}', ...range })}`, { headers: { 'x-scope-orgid': 'team-a' } });
    const body = (await res.json()) as { data: { result: Array<{ values: unknown[] }> } };
    return body.data.result[0]?.values.length === 2;
  }, 30_000, 200);
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${fjord.url}/loki/api/v1/query_range?${new URLSearchParams({ query: 'sum by (level) (count_over_time({app="dash"}[1m]))', step: '60', ...range })}`, { headers: { 'x-scope-orgid': 'team-a' } });
    assert.equal(res.status, 200);
  }
  assert.equal((await fetch(`${fjord.url}/flush`, { method: 'POST' })).status, 204);
  await waitUntil('a chunk stored and a compaction round run', async () => {
    const text = await (await fetch(`${fjord.url}/metrics`)).text();
    return /^loki_ingester_chunks_stored_total\{[^}]*\} [1-9]/m.test(text) && /^loki_boltdb_shipper_compact_tables_operation_total\{status="success"\} [1-9]/m.test(text);
  }, 60_000, 250);

  const scrape = parseExposition(await (await fetch(`${fjord.url}/metrics`)).text());
  const expressions = [...dashboardExpressions(), ...alertExpressions()];
  assert.ok(expressions.length > 50, `found ${expressions.length} expressions`);
  const problems: string[] = [];
  const used = new Set<string>();
  for (const e of expressions) {
    const names = promqlNames(e.expr);
    assert.ok(names.metrics.length > 0, `${e.where}: reads some metric`);
    const families: string[] = [];
    for (const m of names.metrics) {
      const family = familyOf(scrape, m);
      if (family === null) problems.push(`${e.where}: ${m} is not exported`);
      else {
        families.push(family);
        used.add(family);
      }
    }
    const seen = labelsSeen(scrape, families);
    if (seen.size === 0) continue; // no samples yet for these metrics: their labels cannot be checked here
    for (const l of names.labels) if (!TARGET_LABELS.has(l) && !seen.has(l)) problems.push(`${e.where}: label ${l} is not on ${families.join(', ')}`);
  }
  assert.deepEqual(problems, []);
  for (const wanted of ['loki_distributor_kafka_latency_seconds', 'loki_kafka_client_partition_reader_consumption_lag_seconds', 'loki_ingester_chunks_flushed_total',
    'loki_kafka_client_partition_reader_last_committed_offset', 'loki_ingester_partition_current_offset', 'loki_query_frontend_queue_length',
    'loki_boltdb_shipper_compactor_running', 'fjord_ingester_malformed_records_total', 'loki_discarded_samples_total']) {
    assert.ok(used.has(wanted), `the dashboards or alerts watch ${wanted}`);
  }
});
