/**
 * Alertmanager unreachable for the first two attempts of a notification (a TCP proxy in front of
 * a real Alertmanager drops those connections): the ruler tries the batch again and the alert
 * reaches Alertmanager well before the next resend (resend_delay is 1m here), with the failed
 * attempts counted. Node's fetch does not always see a connection closed as soon as it is
 * accepted, and then waits for an answer until notification_timeout (2s here) ends the attempt.
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { alertmanagerAlerts, startAlertmanager } from '../helpers/alerting-services.js';
import { metric } from '../helpers/cluster.js';
import { waitUntil } from '../helpers/env.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';
import { fjordAlerts, postGroup } from '../helpers/ruler-helpers.js';

const TENANT = 'team-a';

test('ruler: a notification whose first attempts fail is retried and arrives', { timeout: 120_000 }, async (t) => {
  const am = await startAlertmanager(t);
  let connections = 0;
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (++connections <= 2) {
      client.destroy();
      return;
    }
    const upstream = connect(am.port, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    proxy.close(() => resolve());
  }));
  const port = (proxy.address() as { port: number }).port;

  const backend = BACKENDS.find((b) => b.name.startsWith('embedded')) as (typeof BACKENDS)[number];
  const file = await backend.config(t, { ruler: { evaluation_interval: '1s', poll_interval: '1s', resend_delay: '1m', notification_timeout: '2s', alertmanager_url: `http://127.0.0.1:${port}` } });
  const f = await startFjord(t, [`-config.file=${await writeConfigFile(file)}`, '-server.http-listen-address=127.0.0.1']);
  await waitReady(f, 60_000);
  const posted = await postGroup(f, TENANT, 'always', 'name: always\ninterval: 1s\nrules:\n  - alert: AlwaysFiring\n    expr: vector(1) > 0\n');
  assert.equal(posted.status, 202, posted.text);
  const firingAt = Date.parse((await waitUntil('firing', async () => (await fjordAlerts(f, TENANT)).find((a) => a.state === 'firing'), 30_000, 100))?.activeAt ?? '');
  const arrived = await waitUntil('the alert in Alertmanager', async () => (await alertmanagerAlerts(am)).find((a) => a.labels.alertname === 'AlwaysFiring'), 20_000, 100);
  assert.ok(arrived);
  assert.ok(Date.now() - firingAt < 30_000, 'delivered by the retries, not by a resend a minute later');
  assert.ok(connections >= 3, `connections: ${connections}`);
  assert.ok(await metric(f, 'loki_prometheus_notifications_errors_total') >= 2);
  assert.equal(await metric(f, 'loki_prometheus_notifications_dropped_total'), 0);
  assert.ok(await metric(f, 'loki_prometheus_notifications_sent_total') >= 1);
});
