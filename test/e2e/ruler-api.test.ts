/**
 * The rules APIs through a real fjord process: a lokitool-shaped round trip (requests as
 * lokitool's client sends them: X-Scope-OrgID, no Content-Type, 404 read as "none"), Grafana's
 * alerting requests replayed from its source (test/fixtures/grafana/ruler-requests.json) and read
 * the way Grafana's server reads them (Content-Type checks, strict YAML keys of its
 * GettableRuleGroupConfig), the read-only local store, and Loki's errors for bad input.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parse } from 'yaml';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { metric } from '../helpers/cluster.js';
import { tempDir, waitUntil } from '../helpers/env.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';

const TENANT = 'team-a';
const backend = BACKENDS.find((b) => b.name.startsWith('embedded')) as (typeof BACKENDS)[number];

async function startWith(t: TestContext, extra: Record<string, unknown>): Promise<FjordChild> {
  const file = await backend.config(t, extra);
  const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`, '-server.http-listen-address=127.0.0.1']);
  await waitReady(f, 60_000);
  return f;
}

function start(t: TestContext, ruler: Record<string, unknown> = {}, limits: Record<string, unknown> = {}): Promise<FjordChild> {
  return startWith(t, { ruler: { evaluation_interval: '1s', poll_interval: '1s', ...ruler }, limits_config: limits });
}

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly text: string;
}

/** A request as lokitool's client builds it: the tenant header, no Content-Type, no Accept. */
async function lokitool(f: FjordChild, method: string, path: string, body?: string): Promise<Answer> {
  const res = await fetch(`${f.url}/loki/api/v1/rules${path}`, {
    method, headers: { 'X-Scope-OrgID': TENANT }, ...(body !== undefined ? { body: new TextEncoder().encode(body) } : {}),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

const GROUP = 'name: errors\ninterval: 1s\nrules:\n    - alert: HighErrors\n      expr: sum by (level) (count_over_time({job="x"} |= "error" [1m])) > 5\n      for: 1m\n      labels:\n        severity: page\n';

test('rules API: a lokitool-shaped round trip (load, list, get, diff-style replace, delete)', { timeout: 60_000 }, async (t) => {
  const f = await start(t);
  // `lokitool rules list` on nothing: 404 is lokitool's ErrResourceNotFound.
  assert.deepEqual(await lokitool(f, 'GET', ''), { status: 404, type: 'text/plain; charset=utf-8', text: 'no rule groups found\n' });
  // `lokitool rules load`: GET the group (404 = missing), then POST it.
  assert.equal((await lokitool(f, 'GET', '/alerts/errors')).text, 'group does not exist\n');
  const posted = await lokitool(f, 'POST', '/alerts', GROUP);
  assert.equal(posted.status, 202);
  assert.match(posted.type, /^application\/json/);
  assert.deepEqual(JSON.parse(posted.text), { status: 'success', data: null, errorType: '', error: '' });
  const got = await lokitool(f, 'GET', '/alerts/errors');
  assert.equal(got.status, 200);
  assert.equal(got.type, 'application/yaml');
  assert.equal(got.text, GROUP, 'the group comes back as it was sent (yaml.v3 layout)');
  // `lokitool rules list` / `print`: map of namespace to groups.
  await lokitool(f, 'POST', '/other', 'name: rec\nrules:\n  - record: job:lines:count\n    expr: sum by (job) (count_over_time({job="x"}[1m]))\n');
  const all = parse((await lokitool(f, 'GET', '')).text) as Record<string, Array<{ name: string }>>;
  assert.deepEqual(Object.fromEntries(Object.entries(all).map(([ns, gs]) => [ns, gs.map((g) => g.name)])), { alerts: ['errors'], other: ['rec'] });
  const one = parse((await lokitool(f, 'GET', '/other')).text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(one), ['other'], 'a namespace answers the same map shape');
  // the legacy prefix serves the same store
  const legacy = await fetch(`${f.url}/api/prom/rules/alerts/errors`, { headers: { 'X-Scope-OrgID': TENANT } });
  assert.equal(await legacy.text(), GROUP);
  // `lokitool rules sync` of a changed group: POST replaces it.
  await lokitool(f, 'POST', '/alerts', GROUP.replace('for: 1m', 'for: 2m'));
  assert.match((await lokitool(f, 'GET', '/alerts/errors')).text, /for: 2m/);
  // filter by rule labels (Loki's `labels` parameter)
  const filtered = parse((await lokitool(f, 'GET', '?labels=severity:page')).text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(filtered), ['alerts']);
  // the ruler picks the groups up at the next poll
  await waitUntil('both groups evaluated', async () => {
    const res = await fetch(`${f.url}/prometheus/api/v1/rules`, { headers: { 'X-Scope-OrgID': TENANT } });
    const body = (await res.json()) as { data: { groups: Array<{ lastEvaluation: string }> } };
    return body.data.groups.length === 2 && body.data.groups.every((g) => !g.lastEvaluation.startsWith('0001'));
  }, 20_000, 200);
  // `lokitool rules delete`, then the namespace
  assert.equal((await lokitool(f, 'DELETE', '/alerts/errors')).status, 202);
  // Loki answers 202 for a group that is not there (its S3 and filesystem buckets delete missing objects fine).
  assert.equal((await lokitool(f, 'DELETE', '/alerts/errors')).status, 202);
  assert.equal((await lokitool(f, 'DELETE', '/other')).status, 202);
  assert.equal((await lokitool(f, 'DELETE', '/other')).text, 'group namespace does not exist\n');
  assert.equal((await lokitool(f, 'GET', '')).status, 404);
});

test('rules API: bad input gets Loki\'s status and text', { timeout: 60_000 }, async (t) => {
  const f = await start(t, {}, { ruler_max_rules_per_rule_group: 1, ruler_max_rule_groups_per_tenant: 1 });
  const bad = await lokitool(f, 'POST', '/ns', 'name: g\nrules:\n  - alert: A\n    expr: sum(count_over_time({job="x"} |= [1m]))\n');
  assert.deepEqual([bad.status, bad.text], [400, "could not parse expression for alert 'A' in group 'g': parse error at line 0, col 34: syntax error: unexpected RANGE, expecting STRING or ip\n"]);
  const notYaml = await lokitool(f, 'POST', '/ns', 'name: [');
  assert.deepEqual([notYaml.status, notYaml.text], [400, 'unable to decoded rule group\n']);
  const tooMany = await lokitool(f, 'POST', '/ns', 'name: g\nrules:\n  - record: a\n    expr: vector(1)\n  - record: b\n    expr: vector(1)\n');
  assert.deepEqual([tooMany.status, tooMany.text], [400, 'per-user rules per rule group limit (limit: 1 actual: 2) exceeded\n']);
  assert.equal((await lokitool(f, 'POST', '/ns', 'name: g\nrules:\n  - record: a\n    expr: vector(1)\n')).status, 202);
  const groups = await lokitool(f, 'POST', '/ns', 'name: g2\nrules:\n  - record: a\n    expr: vector(1)\n');
  assert.deepEqual([groups.status, groups.text], [400, 'per-user rule groups limit (limit: 1 actual: 2) exceeded\n']);
  const traversal = await lokitool(f, 'GET', '/..%2Fx/g');
  assert.equal(traversal.status, 500);
  assert.deepEqual(JSON.parse(traversal.text), { status: 'error', data: null, errorType: 'server_error', error: 'invalid namespace: path traversal not allowed' });
  const noTenant = await fetch(`${f.url}/loki/api/v1/rules`);
  assert.deepEqual([noTenant.status, await noTenant.text()], [401, 'no org id\n'], 'as Loki (dskit) answers');
  const badType = await fetch(`${f.url}/prometheus/api/v1/rules?type=bogus`, { headers: { 'X-Scope-OrgID': TENANT } });
  assert.deepEqual([badType.status, await badType.json()], [400, { status: 'error', data: null, errorType: 'bad_data', error: 'not supported value "bogus"' }]);
  const twoTenants = await fetch(`${f.url}/prometheus/api/v1/rules`, { headers: { 'X-Scope-OrgID': 'a|b' } });
  assert.deepEqual([twoTenants.status, await twoTenants.json()], [400, { status: 'error', data: null, errorType: 'bad_data', error: 'too many org ids found' }]);
});

test('rules API: the local store is read-only with Loki\'s messages, and lists its files', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t, 'fjord-rules');
  await mkdir(join(dir, TENANT));
  await writeFile(join(dir, TENANT, 'alerts.yaml'), `groups:\n  - ${GROUP.trimEnd().split('\n').join('\n    ')}\n`);
  await writeFile(join(dir, TENANT, '.hidden'), 'not: rules');
  const f = await start(t, { storage: { type: 'local', local: { directory: dir } } });
  const list = await lokitool(f, 'GET', '');
  assert.equal(list.status, 200);
  assert.deepEqual(Object.keys(parse(list.text) as object), ['alerts.yaml'], 'the namespace is the file name');
  assert.deepEqual([(await lokitool(f, 'GET', '/alerts.yaml/errors')).status, (await lokitool(f, 'GET', '/alerts.yaml/errors')).text], [400, 'GetRuleGroup unsupported in rule local store\n']);
  assert.deepEqual([(await lokitool(f, 'POST', '/x', GROUP)).status, (await lokitool(f, 'POST', '/x', GROUP)).text], [500, 'SetRuleGroup unsupported in rule local store\n']);
  const del = await lokitool(f, 'DELETE', '/alerts.yaml/errors');
  assert.deepEqual([del.status, JSON.parse(del.text).error], [500, 'DeleteRuleGroup unsupported in rule local store']);
  await waitUntil('the file\'s group evaluated', async () => {
    const res = await fetch(`${f.url}/prometheus/api/v1/rules`, { headers: { 'X-Scope-OrgID': TENANT } });
    return ((await res.json()) as { data: { groups: unknown[] } }).data.groups.length === 1;
  }, 20_000, 200);
  // A file that stops parsing leaves its group running and is reported on list. It is replaced by a
  // rename, so no sync can read it half written (an empty file is a file with no groups).
  const syncsBefore = await metric(f, 'loki_ruler_sync_rules_total', { reason: 'periodic' });
  await writeFile(join(dir, 'alerts.yaml.new'), 'groups:\n  - name: errors\n    rulez: []\n');
  await rename(join(dir, 'alerts.yaml.new'), join(dir, TENANT, 'alerts.yaml'));
  const broken = await lokitool(f, 'GET', '');
  assert.equal(broken.status, 400);
  assert.match(broken.text, /^error parsing .*alerts\.yaml: yaml: unmarshal errors:\n {2}line 3: field rulez not found in type rulefmt\.RuleGroup\n$/);
  // two periodic syncs begun after the change: the first of them has read the broken file and finished
  await waitUntil('the ruler synced after the change', async () => (await metric(f, 'loki_ruler_sync_rules_total', { reason: 'periodic' })) >= syncsBefore + 2, 20_000, 200);
  const res = await fetch(`${f.url}/prometheus/api/v1/rules`, { headers: { 'X-Scope-OrgID': TENANT } });
  assert.equal(((await res.json()) as { data: { groups: unknown[] } }).data.groups.length, 1, 'the running group stays');
});

// ---- Grafana replay ----

interface GrafanaRequest {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly query?: string;
  readonly body?: string;
  readonly expect: string;
}

const grafana = JSON.parse(readFileSync(new URL('../../../test/fixtures/grafana/ruler-requests.json', import.meta.url), 'utf8')) as { requests: GrafanaRequest[] };

const GROUP_KEYS = new Set(['name', 'interval', 'rules', 'source_tenants', 'evaluation_delay', 'query_offset', 'align_evaluation_time_on_interval', 'limit']);
const RULE_KEYS = new Set(['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations', 'grafana_alert']);
const DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

/** Grafana's strict decode of a GettableRuleGroupConfig (yaml.v3 KnownFields on its types). */
function grafanaGroup(g: unknown): void {
  assert.ok(g !== null && typeof g === 'object' && !Array.isArray(g));
  for (const k of Object.keys(g)) assert.ok(GROUP_KEYS.has(k), `Grafana knows no group field ${k}`);
  const group = g as { name: unknown; interval?: unknown; rules: unknown[] };
  assert.equal(typeof group.name, 'string');
  if (group.interval !== undefined) assert.match(String(group.interval), DURATION);
  for (const r of group.rules) {
    for (const k of Object.keys(r as object)) assert.ok(RULE_KEYS.has(k), `Grafana knows no rule field ${k}`);
    const rule = r as { for?: unknown; expr: unknown };
    assert.equal(typeof rule.expr, 'string');
    if (rule.for !== undefined) assert.match(String(rule.for), DURATION);
  }
}

/** Read an answer as Grafana does for the request's `expect`. */
function readAsGrafana(req: GrafanaRequest, a: Answer): void {
  const what = `${req.name}: ${a.status} ${a.type} ${a.text.slice(0, 300)}`;
  switch (req.expect) {
    case 'ruler-empty-404':
      assert.equal(a.status, 404, what);
      assert.ok(a.text.includes('group does not exist') || a.text.includes('no rule groups found'), what);
      return;
    case 'ruler-ack':
      assert.equal(a.status, 202, what);
      if (req.method === 'POST') {
        assert.ok(a.type.includes('json'), `jsonExtractor needs JSON: ${what}`);
        JSON.parse(a.text);
      }
      return;
    case 'ruler-namespaces': {
      assert.equal(a.status, 200, what);
      assert.ok(a.type.includes('yaml'), `yamlExtractor needs YAML: ${what}`);
      const map = parse(a.text) as Record<string, unknown[]>;
      assert.ok(Object.keys(map).length > 0, what);
      for (const groups of Object.values(map)) for (const g of groups) grafanaGroup(g);
      return;
    }
    case 'ruler-group':
      assert.equal(a.status, 200, what);
      assert.ok(a.type.includes('yaml'), what);
      grafanaGroup(parse(a.text));
      return;
    default: {
      assert.equal(a.status, 200, what);
      assert.ok(a.type.includes('json'), what);
      const body = JSON.parse(a.text) as { status: string; data: { groups?: Array<{ name: string; file: string; rules: Array<{ type: string; name: string; health: string; state?: string; alerts?: unknown[] }> }>; alerts?: unknown[] } };
      assert.equal(body.status, 'success', what);
      if (req.expect === 'prom-alerts') {
        assert.ok(Array.isArray(body.data.alerts), what);
        return;
      }
      const groups = body.data.groups ?? [];
      for (const g of groups) {
        assert.equal(typeof g.file, 'string');
        for (const r of g.rules) {
          assert.ok(r.type === 'alerting' || r.type === 'recording', what);
          assert.ok(['ok', 'err', 'unknown'].includes(r.health), what);
          if (r.type === 'alerting') assert.ok(['inactive', 'pending', 'firing', 'unknown'].includes(r.state ?? ''), what);
        }
      }
      if (req.expect === 'prom-rules-one-group') assert.deepEqual(groups.map((g) => [g.file, g.name, g.rules.length]), [['grafana', 'from-the-ui', 2]], what);
      if (req.expect === 'prom-rules-one-rule') assert.deepEqual(groups.flatMap((g) => g.rules.map((r) => r.name)), ['GrafanaMade'], what);
      if (req.expect === 'prom-rules-alerting') assert.ok(groups.flatMap((g) => g.rules).every((r) => r.type === 'alerting') && groups.length > 0, what);
    }
  }
}

test('rules API: Grafana\'s alerting requests, replayed from its source, read as Grafana reads them', { timeout: 60_000 }, async (t) => {
  const f = await start(t);
  const fill = (s: string) => s.replace(/\$ns/g, 'grafana').replace(/\$group/g, 'from-the-ui');
  for (const req of grafana.requests) {
    if (req.expect === 'prom-rules-one-group') {
      await waitUntil('the posted group loaded', async () => {
        const res = await fetch(`${f.url}/prometheus/api/v1/rules?file=grafana`, { headers: { 'X-Scope-OrgID': TENANT } });
        return ((await res.json()) as { data: { groups: unknown[] } }).data.groups.length === 1;
      }, 20_000, 200);
    }
    const url = `${f.url}${fill(req.path)}${req.query ? `?${fill(req.query)}` : ''}`;
    const res = await fetch(url, {
      method: req.method, headers: { 'X-Scope-OrgID': TENANT },
      ...(req.body !== undefined ? { body: new TextEncoder().encode(fill(req.body)) } : {}),
    });
    readAsGrafana(req, { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() });
  }
});

test('rules API: with the local store, Grafana\'s probe reads the ruler as read-only', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t, 'fjord-rules');
  const f = await start(t, { storage: { type: 'local', local: { directory: dir } } });
  const res = await fetch(`${f.url}/api/prom/rules/test/test`, { headers: { 'X-Scope-OrgID': TENANT } });
  // buildInfo.ts: an error holding this text marks the ruler API as not editable.
  assert.ok((await res.text()).includes('GetRuleGroup unsupported in rule local store'));
});

test('rules API: ruler_storage filesystem backend keeps Loki\'s object layout under storage_prefix, and reads Loki\'s objects', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t, 'fjord-rule-objects');
  const g = await startWith(t, { ruler_storage: { backend: 'filesystem', storage_prefix: 'team-rules', filesystem: { dir } } });
  assert.equal((await lokitool(g, 'POST', '/alerts', GROUP)).status, 202);
  assert.deepEqual(await readdir(join(dir, 'team-rules', 'rules', TENANT, 'YWxlcnRz')), ['ZXJyb3Jz'], 'rules/<tenant>/<base64url(namespace)>/<base64url(group)>');
  // An object Loki wrote reads back as Loki answers it.
  await mkdir(join(dir, 'team-rules', 'rules', TENANT, 'bnMgMS55YW1s'), { recursive: true });
  await writeFile(join(dir, 'team-rules', 'rules', TENANT, 'bnMgMS55YW1s', 'ZXJyb3Jz'), readFileSync(new URL('../../../test/fixtures/ruler/loki-rule-group.pb', import.meta.url)));
  const loki = await lokitool(g, 'GET', '/ns%201.yaml/errors');
  assert.equal(loki.status, 200);
  assert.match(loki.text, /^name: errors\ninterval: 10s\nlimit: 3\nrules:\n {4}- alert: HighErrors\n/);
});
