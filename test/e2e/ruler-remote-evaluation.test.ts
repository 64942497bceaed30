/**
 * Remote evaluation (`ruler.evaluation.mode: remote`): a `-target=ruler` process with no querier
 * of its own sends its rule queries to another fjord process's query frontend over HTTP, and
 * the alert goes pending there from the lines pushed to that process.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { BACKENDS, writeConfigFile } from '../helpers/backends.js';
import { metric } from '../helpers/cluster.js';
import { tempDir, waitUntil } from '../helpers/env.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';
import { fjordAlerts, fjordRules, pushErrors } from '../helpers/ruler-helpers.js';

const TENANT = 'team-a';

test('ruler: remote evaluation through another process\'s query frontend', { timeout: 120_000 }, async (t) => {
  const backend = BACKENDS.find((b) => b.name.startsWith('embedded')) as (typeof BACKENDS)[number];
  const dataFile = await backend.config(t, { limits_config: { reject_old_samples: false } });
  const data = await startFjord(t, [`-config.file=${await writeConfigFile(dataFile)}`, '-server.http-listen-address=127.0.0.1', '-target=all']);
  await waitReady(data, 60_000);

  const rules = await tempDir(t, 'fjord-rules');
  await mkdir(join(rules, TENANT));
  await writeFile(join(rules, TENANT, 'alerts.yaml'), 'groups:\n  - name: errors\n    interval: 1s\n    rules:\n      - alert: HighErrors\n        expr: sum by (level) (count_over_time({job="x"} |= "error" [10s])) > 5\n        for: 1m\n      - record: broken\n        expr: \'{job="x"}\'\n');
  const rulerFile = await backend.config(t, {
    ruler: { poll_interval: '1s', evaluation: { mode: 'remote', max_jitter: '200ms', query_frontend: { address: `127.0.0.1:${data.port}` } }, storage: { type: 'local', local: { directory: rules } } },
  });
  const ruler = await startFjord(t, [`-config.file=${await writeConfigFile(rulerFile)}`, '-server.http-listen-address=127.0.0.1', '-target=ruler']);
  await waitReady(ruler, 60_000);

  pushErrors(t, () => data, TENANT, { perPush: 3, everyMs: 250 });
  const pending = await waitUntil('pending on the remote ruler', async () => (await fjordAlerts(ruler, TENANT)).find((a) => a.state === 'pending'), 30_000, 200);
  assert.deepEqual(pending?.labels, { alertname: 'HighErrors', level: 'error' });
  assert.ok(await metric(ruler, 'loki_ruler_remote_eval_success_total', { user: TENANT }) > 0);
  // A log query is refused by the frontend's instant query endpoint; the rule reports it.
  // The group's rules run in order: the recording rule is evaluated just after the alert went pending.
  const group = await waitUntil('the recording rule evaluated', async () => {
    const g = (await fjordRules(ruler, TENANT)).body.data.groups[0];
    return g?.rules[1]?.health !== 'unknown' ? g : undefined;
  }, 10_000, 100);
  assert.equal(group.rules[1].health, 'err');
  assert.equal(group.rules[1].lastError, 'unsuccessful/unexpected response - status code 400');
  assert.ok(await metric(ruler, 'loki_ruler_remote_eval_failure_total', { reason: 'upstream_error' }) > 0);
});
