import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildConfig } from '../../../../../schemas/config/index.js';
import { alertmanagerTargets } from '../../../../../query/ruler/notifier/notifier.js';

const targets = (ruler: Record<string, unknown>) => alertmanagerTargets(buildConfig({ file: { ruler }, flags: [] }).ruler);

test('alertmanagerTargets: each URL is an Alertmanager; its path prefixes /api/v2/alerts', () => {
  assert.deepEqual(targets({ alertmanager_url: 'http://am1:9093, http://am2:9093/am/' }), [
    { url: 'http://am1:9093/api/v2/alerts', authorization: null },
    { url: 'http://am2:9093/am/api/v2/alerts', authorization: null },
  ]);
});

test('alertmanagerTargets: user:password in the URL is basic auth, taken out of the URL', () => {
  assert.deepEqual(targets({ alertmanager_url: 'https://u%40x:p%3Ass@am:9093' }), [
    { url: 'https://am:9093/api/v2/alerts', authorization: `Basic ${Buffer.from('u@x:p:ss').toString('base64')}` },
  ]);
});

test('alertmanagerTargets: alertmanager_client credentials when the URL has none', () => {
  assert.equal(targets({ alertmanager_url: 'http://am:9093', alertmanager_client: { credentials: 't0k' } })[0]?.authorization, 'Bearer t0k');
  assert.equal(targets({ alertmanager_url: 'http://am:9093', alertmanager_client: { basic_auth_username: 'a', basic_auth_password: 'b' } })[0]?.authorization, `Basic ${Buffer.from('a:b').toString('base64')}`);
  assert.deepEqual(targets({}), []);
});
