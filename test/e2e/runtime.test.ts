/** The `fjord` command end to end: start-up, admin routes, bad config, and a broker that is down. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir, waitUntil } from '../helpers/env.js';
import { freePort, startFjord, waitReady } from '../helpers/fjord-process.js';

const fjordJs = fileURLToPath(new URL('../../fjord.js', import.meta.url));

test('fjord starts on the embedded backends and serves the admin routes', async (t) => {
  const dir = await tempDir(t);
  const f = await startFjord(t, [`-common.path-prefix=${dir}`, '-auth.enabled=false']);
  await waitReady(f);
  const ready = await fetch(`${f.url}/ready`);
  assert.equal(await ready.text(), 'ready\n');
  const services = await (await fetch(`${f.url}/services`)).text();
  assert.match(services, /^server => Running$/m);
  assert.match(services, /^partition-log => Running$/m);
  const build = (await (await fetch(`${f.url}/loki/api/v1/status/buildinfo`)).json()) as Record<string, string>;
  assert.deepEqual(Object.keys(build).sort(), ['branch', 'buildDate', 'buildUser', 'goVersion', 'revision', 'version']);
  assert.match(build.version ?? '', /^3\.\d+\.\d+\+fjord\./);
  const config = await (await fetch(`${f.url}/config`)).text();
  assert.match(config, /^auth_enabled: false$/m);
  assert.match(config, /chunk_idle_period: 30m/);
  const query = (path: string, q: string) => fetch(`${f.url}/loki/api/v1/${path}?${new URLSearchParams({ query: q })}`);
  assert.equal((await query('query_range', '{app="x"} |= "y"')).status, 200);
  assert.equal((await query('query', 'sum(count_over_time({app="x"}[5m]))')).status, 200);
  assert.equal((await query('query_range', 'sum by (app) (bytes_over_time({app="x"} [1y]))')).status, 400);
  const metrics = await (await fetch(`${f.url}/metrics`)).text();
  assert.match(metrics, /^process_cpu_seconds_total /m);
  assert.match(metrics, /^loki_logql_querystats_latency_seconds_count\{status_code="200",type="filter",range="range"\} [1-9]/m);
  assert.match(metrics, /^loki_logql_querystats_latency_seconds_count\{status_code="200",type="metric",range="instant"\} [1-9]/m);
  assert.match(metrics, /^loki_logql_querystats_latency_seconds_count\{status_code="400",type="metric",range="range"\} [1-9]/m);
  assert.match(metrics, /^loki_build_info\{/m);
  assert.match(metrics, /^loki_request_duration_seconds_count\{method="GET",route="ready",status_code="200",ws="false"\} \d+/m);
  const missing = await fetch(`${f.url}/no/such/route`);
  assert.equal(missing.status, 404);
  assert.equal(await f.stop(), 0);
  assert.match(f.output(), /"msg":"Fjord stopped"/);
  assert.doesNotMatch(f.output(), /^\s+at .*:\d+:\d+\)?$/m, 'no stack trace in the output');
});

const badStarts = [
  { name: 'a bad flag value', args: ['-ingester.max-chunk-age=2x'], want: /^fjord: invalid configuration: -ingester\.max-chunk-age \(ingester\.max_chunk_age\): "2x" is not a duration \(e\.g\. 30s, 5m, 1h30m\)$/m },
  { name: 'an unknown flag', args: ['-ingester.no-such=1'], want: /^fjord: invalid configuration: flag provided but not defined: -ingester\.no-such$/m },
  { name: 'a missing config file', args: ['-config.file=/nonexistent/fjord.yaml'], want: /^fjord: invalid configuration: -config\.file: cannot read \/nonexistent\/fjord\.yaml: /m },
];
for (const c of badStarts) {
  test(`fjord refuses to start with ${c.name}: one clear line, exit 1, no stack`, () => {
    const r = spawnSync(process.execPath, [fjordJs, ...c.args], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, c.want);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+/);
  });
}

test('fjord -print-config prints the effective config as YAML', () => {
  const r = spawnSync(process.execPath, [fjordJs, '-print-config', '-ingester.chunks-idle-period=5m'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^ {2}chunk_idle_period: 5m$/m);
});

test('with Kafka unreachable, fjord keeps retrying, stays not ready, names the broker, and stops on SIGTERM', async (t) => {
  const dir = await tempDir(t);
  const deadPort = await freePort();
  const f = await startFjord(t, [`-common.path-prefix=${dir}`, `-kafka.address=127.0.0.1:${deadPort}`, '-target=distributor']);
  await waitUntil('the retry log line', () => f.output().includes('kafka not reachable yet'), 20_000);
  const res = await fetch(`${f.url}/ready`);
  assert.equal(res.status, 503);
  assert.match(await res.text(), /^Not ready: partition-log is starting/);
  await waitUntil('a second attempt', () => (f.output().match(/kafka not reachable yet/g) ?? []).length >= 2, 30_000);
  assert.equal(f.child.exitCode, null, 'still running');
  assert.equal((await fetch(`${f.url}/ready`)).status, 503);
  assert.match(f.output(), new RegExp(`"brokers":"127\\.0\\.0\\.1:${deadPort}"`));
  assert.equal(await f.stop(), 0);
});
