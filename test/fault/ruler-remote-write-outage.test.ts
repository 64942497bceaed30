/**
 * The remote-write receiver (a real Prometheus) down while the ruler keeps evaluating, and the
 * ruler itself restarted during the outage: the samples evaluated meanwhile wait in the on-disk
 * queue, survive the restart, and reach Prometheus once it is back, with none missing and in
 * order. Runs on the embedded backend; the queue is the same on both.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { prometheusSamples, startPrometheus } from '../helpers/alerting-services.js';
import { metric } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/env.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';
import { postGroup } from '../helpers/ruler-helpers.js';

const TENANT = 'team-a';

test('ruler: a Prometheus outage across a ruler restart loses no recorded sample', { timeout: 180_000 }, async (t) => {
  const backend = BACKENDS.find((b) => b.name.startsWith('embedded')) as (typeof BACKENDS)[number];
  let prom = await startPrometheus(t);
  const file = await backend.config(t, {
    ruler: {
      evaluation_interval: '1s', poll_interval: '1s',
      remote_write: { enabled: true, clients: { prom: { url: `${prom.url}/api/v1/write`, queue_config: { min_backoff: '50ms', max_backoff: '500ms' } } } },
    },
  });
  const args = [`-config.file=${await writeConfigFile(file)}`, '-server.http-listen-address=127.0.0.1'];
  let f = await startFjord(t, args);
  await waitReady(f, 60_000);
  const posted = await postGroup(f, TENANT, 'heartbeat', 'name: beat\ninterval: 1s\nrules:\n  - record: fjord:beat\n    expr: vector(1)\n');
  assert.equal(posted.status, 202, posted.text);
  await waitUntil('samples in Prometheus', async () => ((await prometheusSamples(prom, 'fjord:beat'))[0]?.values.length ?? 0) >= 3, 30_000, 200);

  await prom.stop();
  const promDownMs = Date.now();
  await waitUntil('retries against the stopped receiver', async () => (await metric(f, 'loki_ruler_wal_prometheus_remote_storage_samples_retried_total')) > 0, 20_000, 200);
  await new Promise((r) => setTimeout(r, 3000));
  const missed = await metric(f, 'loki_prometheus_rule_group_iterations_missed_total');
  assert.equal(await f.stop(), 0);
  const fjordDownMs = Date.now();

  f = await startFjord(t, args);
  await waitReady(f, 60_000);
  await new Promise((r) => setTimeout(r, 2000));
  prom = await startPrometheus(t, { dir: prom.dir, port: prom.port });

  const values = await waitUntil('the queued samples in Prometheus', async () => {
    const v = (await prometheusSamples(prom, 'fjord:beat'))[0]?.values ?? [];
    return v.some(([ts]) => ts * 1000 > fjordDownMs + 2000) ? v : null;
  }, 60_000, 500);
  const tsMs = (values ?? []).map(([ts]) => Math.round(ts * 1000));
  const before = tsMs.filter((ts) => ts < fjordDownMs);
  assert.ok(before.filter((ts) => ts > promDownMs).length >= 3, `samples evaluated during the outage: ${before.join(',')}`);
  let gaps = 0;
  for (let i = 1; i < before.length; i++) {
    const d = (before[i] as number) - (before[i - 1] as number);
    assert.equal(d % 1000, 0, `evaluation times ${before.join(',')}`);
    gaps += d / 1000 - 1;
  }
  assert.ok(gaps <= missed, `${gaps} evaluations missing before the restart; the group missed ${missed}`);
  assert.ok(tsMs.every((ts, i) => i === 0 || ts > (tsMs[i - 1] as number)), 'in order, no duplicates');
});
