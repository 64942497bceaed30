/**
 * The query-frontend module inside a real Fjord process (runtime, config, runtime-config limits,
 * service manager, HTTP server on port 0): Loki's API answers over the in-process querier handed
 * in by the composition root, resolved when the module starts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordProcess, baseModules, readBuildInfo, silentLogger, type Service } from '../../platform/index.js';
import type { QueryBackend } from '../../query/engine/query-backend.js';
import { queryFrontendModule, querierWorkerService } from '../../query/frontend/index.js';
import { testConfig } from '../helpers/config.js';
import { tempDir, uniqueName } from '../helpers/env.js';
import { FakeQueryBackend } from '../helpers/fake-query-backend.js';
import { sampleStreams } from '../helpers/sample-streams.js';

test('module: the frontend serves Loki\'s API over the in-process querier; stop is clean', async (t) => {
  const cfg = testConfig({
    target: 'query-frontend', auth_enabled: false, server: { http_listen_port: 0, http_listen_address: '127.0.0.1' },
    common: { path_prefix: await tempDir(t) }, kafka_config: { topic: uniqueName('fjord-test') },
  });
  let querier: QueryBackend | null = null;
  const proc = new FjordProcess(cfg, { ...baseModules, 'query-frontend': queryFrontendModule({ localQuerier: () => querier, version: 'v' }) }, readBuildInfo({}), silentLogger());
  querier = new FakeQueryBackend(sampleStreams());
  await proc.start();
  try {
    const port = proc.context.server.port();
    const res = await fetch(`http://127.0.0.1:${port}/loki/api/v1/query?query=${encodeURIComponent('vector(1)+vector(1)')}&time=4000000000`);
    assert.equal(res.status, 200);
    assert.deepEqual(((await res.json()) as { data: { result: unknown } }).data.result, [{ metric: {}, value: [4000000000, '2'] }]);
    const labels = await fetch(`http://127.0.0.1:${port}/loki/api/v1/labels?start=1699990000&end=1700000000`);
    assert.deepEqual(await labels.json(), { status: 'success', data: ['app', 'env', 'service_name'] });
    const ready = await fetch(`http://127.0.0.1:${port}/ready`);
    assert.equal(ready.status, 200);
  } finally {
    assert.equal(await proc.stop(), true);
  }
});

test('querierWorkerService: only when frontend_worker.frontend_address is set', () => {
  const backend = new FakeQueryBackend([]);
  assert.equal(querierWorkerService(testConfig(), backend, silentLogger()), null);
  const svc = querierWorkerService(testConfig({ frontend_worker: { frontend_address: 'frontend:3100' } }), backend, silentLogger()) as Service;
  assert.equal(svc.name, 'querier-worker');
});
