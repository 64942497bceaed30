/**
 * `GET /status/api` of a single `all` process on each backend pair: the process itself (ready, its
 * modules), every partition with its end offset and the zone's owner, consumed and durable offsets
 * and lag, the compactor leader and its round, index bundles per period after a flush, and the
 * tenant's ingestion rate.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterStatus, ProcessReport } from '../../platform/index.js';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { uniqueName, waitUntil } from '../helpers/env.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';

async function status(url: string): Promise<ClusterStatus> {
  const res = await fetch(`${url}/status/api`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  return (await res.json()) as ClusterStatus;
}

async function push(url: string, tenant: string, lines: number): Promise<void> {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const values = Array.from({ length: lines }, (_, i) => [String(nowNs + BigInt(i)), `status line ${i}`]);
  const streams = [{ stream: { job: 'status', app: 'a' }, values }, { stream: { job: 'status', app: 'b' }, values }];
  const res = await fetch(`${url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant }, body: JSON.stringify({ streams }) });
  assert.equal(res.status, 204, await res.text());
}

for (const backend of BACKENDS) {
  test(`${backend.name}: /status/api shows the process, the partitions with owner and offsets, the compactor, the index and the tenant's rate`, async (t) => {
    const zone = uniqueName('zone');
    const file = await backend.config(t, {
      target: 'all', auth_enabled: true,
      ingester: { availability_zone: zone, flush_check_period: '1s', index_upload_interval: '1s' },
      compactor: { compaction_interval: '1s' },
      limits_config: { reject_old_samples: false },
    });
    const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`]);
    await waitReady(f, 60_000);

    const self = (await (await fetch(`${f.url}/status/api/process`)).json()) as ProcessReport;
    assert.equal(self.address, f.url);
    assert.equal(self.target, 'all');
    assert.equal(self.ready, true);
    assert.ok(self.modules.some((m) => m.name === 'ingester' && m.state === 'Running'), JSON.stringify(self.modules));
    assert.equal(self.ingester?.zone, zone);

    const tenant = 'status-tenant';
    await push(f.url, tenant, 50);
    const s = await waitUntil<ClusterStatus | false>('consumed to the end, a tenant rate and the compactor leading', async () => {
      await push(f.url, tenant, 5);
      const s = await status(f.url);
      const caughtUp = s.partitions.length === 2 && s.partitions.every((p) => p.zones.length === 1 && p.zones[0]?.consumed_offset === p.end_offset);
      return caughtUp && s.tenants.some((r) => r.tenant === tenant && r.lines_per_second > 0) && s.compactor.leader !== null ? s : false;
    }, 30_000, 500);
    assert.ok(s);
    assert.deepEqual(s.errors, []);
    assert.equal(s.log.kind, backend.name.startsWith('kafka') ? 'kafka' : 'embedded');
    const me = s.processes.find((p) => p.address === f.url);
    assert.ok(me, JSON.stringify(s.processes));
    assert.equal(me.target, 'all');
    assert.equal(me.ready, true);
    assert.equal(me.error, null);
    assert.ok(s.partitions.reduce((n, p) => n + p.end_offset, 0) >= 2, 'the pushes reached the log');
    for (const p of s.partitions) {
      const z = p.zones[0];
      assert.ok(z);
      assert.equal(z.zone, zone);
      assert.equal(z.owner, f.url);
      assert.equal(z.lag_records, 0);
      assert.equal(z.lag_seconds, 0);
      assert.ok(z.durable_offset !== null && z.durable_offset <= p.end_offset);
    }
    assert.equal(s.compactor.leader, f.url);
    const rate = s.tenants.find((r) => r.tenant === tenant);
    assert.ok(rate && rate.bytes_per_second > rate.lines_per_second, JSON.stringify(s.tenants));

    const indexed = await waitUntil<ClusterStatus | false>('an index bundle of the period and a compaction round', async () => {
      await fetch(`${f.url}/flush`, { method: 'POST' });
      const s = await status(f.url);
      return s.index !== null && s.index.periods.length > 0 && s.compactor.last_round !== null ? s : false;
    }, 30_000, 500);
    assert.ok(indexed);
    const today = Math.floor(Date.now() / 86_400_000);
    const period = indexed.index?.periods.find((p) => p.period === today);
    assert.ok(period, JSON.stringify(indexed.index));
    assert.equal(period.start, new Date(today * 86_400_000).toISOString());
    assert.ok(period.bundles >= 1 && period.bytes > 0 && period.tenants === 1);
    assert.equal(indexed.compactor.last_round?.ok, true);
    assert.equal(await f.stop(), 0, f.output());
  });
}
