import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterStatus, type GatheredStatus } from '../../../../platform/runtime/cluster-status-view.js';
import type { ProcessReport } from '../../../../platform/runtime/index.js';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

function report(address: string, extra: Partial<ProcessReport> = {}): ProcessReport {
  return { address, target: 'write', version: 'v', ready: true, not_ready_reason: null, modules: [{ name: 'ingester', state: 'Running' }], ...extra };
}

function gathered(over: Partial<GatheredStatus> = {}): GatheredStatus {
  const a = 'http://a:3100';
  const b = 'http://b:3100';
  return {
    nowMs: NOW,
    log: { kind: 'kafka', topic: 'logs' },
    members: new Map([[b, ['fjord-ingester-z2']], [a, ['fjord-ingester-z1', 'fjord-compactor']]]),
    reports: new Map<string, ProcessReport | { error: string }>([
      [a, report(a, {
        ingester: { zone: 'z1', partitions: [{ partition: 0, consumed_offset: 8, durable_offset: 5, end_offset: 10, last_record_ms: NOW - 1500, replaying: false }, { partition: 1, consumed_offset: 4, durable_offset: 4, end_offset: 4, last_record_ms: null, replaying: false }], tenants: [{ tenant: 't1', lines_per_second: 1, bytes_per_second: 10 }] },
        compactor: { leader: true, last_round: null },
      })],
      [b, { error: 'connect ECONNREFUSED' }],
    ]),
    offsets: [{ partition: 1, start: 0, end: 4 }, { partition: 0, start: 2, end: 10 }],
    zones: [
      { zone: 'z1', owners: new Map([[0, a], [1, a]]), committed: new Map([[0, 5]]) },
      { zone: 'z2', owners: new Map([[0, b]]), committed: new Map([[0, 3], [1, 4]]) },
    ],
    bundles: [{ period: 20425, tenant: 't1', bytes: 10 }, { period: 20425, tenant: 't2', bytes: 5 }, { period: 20424, tenant: 't1', bytes: 1 }],
    errors: [],
    ...over,
  };
}

test('cluster status: processes by address, an unanswered one with its error', () => {
  const s = clusterStatus(gathered());
  assert.equal(s.time, new Date(NOW).toISOString());
  assert.deepEqual(s.processes.map((p) => [p.address, p.groups, p.target, p.ready, p.error]), [
    ['http://a:3100', ['fjord-compactor', 'fjord-ingester-z1'], 'write', true, null],
    ['http://b:3100', ['fjord-ingester-z2'], null, false, 'connect ECONNREFUSED'],
  ]);
});

test('cluster status: per partition and zone the owner, offsets and lag; unknown where the owner did not answer or there is none', () => {
  const s = clusterStatus(gathered());
  assert.deepEqual(s.partitions.map((p) => p.partition), [0, 1]);
  const [p0, p1] = s.partitions;
  assert.equal(p0?.start_offset, 2);
  assert.deepEqual(p0?.zones[0], { zone: 'z1', owner: 'http://a:3100', consumed_offset: 8, durable_offset: 5, committed_offset: 5, lag_records: 2, lag_seconds: 1.5, replaying: false });
  assert.deepEqual(p0?.zones[1], { zone: 'z2', owner: 'http://b:3100', consumed_offset: null, durable_offset: 3, committed_offset: 3, lag_records: null, lag_seconds: null, replaying: false });
  assert.deepEqual(p1?.zones[0]?.lag_seconds, 0);
  assert.deepEqual(p1?.zones[1], { zone: 'z2', owner: null, consumed_offset: null, durable_offset: 4, committed_offset: 4, lag_records: null, lag_seconds: null, replaying: false });
});

test('cluster status: the compactor leader, index bundles per period, tenant rates of the fullest zone', () => {
  const s = clusterStatus(gathered());
  assert.deepEqual(s.compactor, { leader: 'http://a:3100', last_round: null });
  assert.deepEqual(s.index?.periods, [
    { period: 20424, start: '2025-12-02T00:00:00.000Z', tenants: 1, bundles: 1, bytes: 1 },
    { period: 20425, start: '2025-12-03T00:00:00.000Z', tenants: 2, bundles: 2, bytes: 15 },
  ]);
  assert.deepEqual(s.tenants, [{ tenant: 't1', lines_per_second: 1, bytes_per_second: 10 }]);
  const none = clusterStatus(gathered({ bundles: null, zones: [], offsets: [] }));
  assert.equal(none.index, null);
  assert.deepEqual(none.partitions, []);
  assert.deepEqual(none.tenants, []);
});
