import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { buildConfig, printableConfig } from '../../../../schemas/config/index.js';

function errorOf(file: unknown): string {
  try {
    buildConfig({ file, flags: [] });
  } catch (err) {
    assert.ok(err instanceof FjordError && err.code === 'invalid_config');
    return err.message;
  }
  assert.fail('expected invalid_config');
}

test('ruler defaults are Loki\'s', () => {
  const r = buildConfig({ file: null, flags: [] }).ruler;
  assert.deepEqual(
    [r.evaluation_interval, r.poll_interval, r.resend_delay, r.notification_timeout, r.notification_queue_capacity, r.for_grace_period, r.for_outage_tolerance, r.enable_api, r.enable_alertmanager_v2],
    [60_000, 60_000, 60_000, 10_000, 10_000, 600_000, 3_600_000, true, true],
  );
  assert.deepEqual([r.wal.min_age, r.wal.max_age, r.wal.truncate_frequency, r.remote_write.enabled, r.remote_write.add_org_id_header], [300_000, 14_400_000, 3_600_000, false, true]);
});

test('remote-write clients and external labels are maps with per-entry defaults; secrets are masked', () => {
  const cfg = buildConfig({
    file: { ruler: { external_labels: { cluster: 'eu' }, remote_write: { enabled: true, clients: { prom: { url: 'http://p:9090/api/v1/write', headers: { Authorization: 'Bearer x' }, basic_auth: { username: 'u', password: 'pw' } } } } } },
    flags: [['ruler.evaluation-interval', '15s']],
  });
  assert.equal(cfg.ruler.evaluation_interval, 15_000);
  assert.deepEqual(cfg.ruler.external_labels, { cluster: 'eu' });
  const prom = cfg.ruler.remote_write.clients.prom;
  assert.deepEqual([prom?.url, prom?.remote_timeout, prom?.queue_config.max_samples_per_send, prom?.queue_config.min_backoff, prom?.queue_config.max_backoff], ['http://p:9090/api/v1/write', 30_000, 2000, 30, 5000]);
  const printed = JSON.stringify(printableConfig(cfg));
  assert.ok(!printed.includes('Bearer x') && !printed.includes('"pw"'), printed);
});

const bad = [
  { name: 'remote write with no client', file: { ruler: { remote_write: { enabled: true } } }, want: 'ruler.remote_write.clients: remote-write enabled but no clients are configured' },
  { name: 'a client without a URL', file: { ruler: { remote_write: { enabled: true, clients: { a: {} } } } }, want: "ruler.remote_write.clients.a.url: remote-write enabled but client 'a' URL is not configured" },
  { name: 'an unknown client key', file: { ruler: { remote_write: { enabled: true, clients: { a: { url: 'http://x', write_relabel_configs: [] } } } } }, want: /^ruler\.remote_write\.clients\.a\.write_relabel_configs: unknown key/ },
  { name: 'local store without a directory', file: { ruler: { storage: { type: 'local' } } }, want: 'ruler.storage.local.directory: directory required for local rules config' },
  { name: 'WAL ages', file: { ruler: { wal: { min_age: '5h' } } }, want: 'ruler.wal.min_age: min_wal_time must be less than max_wal_time' },
  { name: 'Alertmanager API v1', file: { ruler: { enable_alertmanager_v2: false } }, want: /^ruler\.enable_alertmanager_v2: Alertmanager API v1 is not supported/ },
  { name: 'an Alertmanager URL', file: { ruler: { alertmanager_url: 'am:9093' } }, want: 'ruler.alertmanager_url: "am:9093" is not an http(s) URL' },
  { name: 'both rule store blocks', file: { ruler: { storage: { type: 's3', s3: { bucketnames: 'b' } } }, ruler_storage: { backend: 'filesystem', filesystem: { dir: '/x' } } }, want: 'ruler_storage.backend and ruler.storage.type: set one of them' },
  { name: 'storage prefix', file: { ruler_storage: { backend: 'filesystem', storage_prefix: 'a/b', filesystem: { dir: '/x' } } }, want: /storage prefix contains invalid characters/ },
];
for (const c of bad) {
  test(`ruler config refused: ${c.name}`, () => {
    const msg = errorOf(c.file);
    if (typeof c.want === 'string') assert.equal(msg, c.want);
    else assert.match(msg, c.want);
  });
}
