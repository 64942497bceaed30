/**
 * The querier's fan-out to the ingesters over a fake ring (a LogAdmin held in memory): a partition
 * with no owner in any zone fails the query unless it is fully committed, or, with
 * `querier.allow_partial_ingester_answers` and a caller that can warn, is reported missing; and a
 * Kafka that does not answer fails the lookup within its bound instead of holding the query.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GroupDescription, LogAdmin, PartitionOffsets } from '../../../../platform/index.js';
import { FjordError } from '../../../../schemas/index.js';
import { emptyStats } from '../../../../query/engine/query-backend.js';
import { IngesterClient } from '../../../../query/querier/ingester-client.js';
import { IngesterRing } from '../../../../query/querier/ingester-ring.js';
import { testConfig } from '../../../helpers/config.js';

const GROUP = 'fjord-ingester-zone-a';

/** A ring whose one zone is mid-rebalance (members own nothing), with `ends` and `committed` offsets. */
function fakeAdmin(ends: number[], committed: Map<number, number>, hang = false): LogAdmin {
  const never = new Promise<never>(() => undefined);
  const offsets: PartitionOffsets[] = ends.map((end, partition) => ({ partition, start: 0, end }));
  const group: GroupDescription = { groupId: GROUP, state: 'PreparingRebalance', members: [{ memberId: 'm1', clientId: 'http://127.0.0.1:1', partitions: [] }] };
  return {
    createTopic: async () => false,
    offsets: async () => (hang ? never : offsets),
    committedOffsets: async () => committed,
    setCommittedOffsets: async () => undefined,
    describeGroup: async () => group,
    listGroups: async () => (hang ? never : [GROUP]),
  };
}

const request = { tenant: 't', matchers: [], startNs: 0n, endNs: 1n, shard: null } as const;

function client(admin: LogAdmin, timeoutMs = 3000, allowPartial = false): IngesterClient {
  return new IngesterClient(new IngesterRing(admin, 'fjord', timeoutMs), testConfig({ querier: { allow_partial_ingester_answers: allowPartial } }).querier);
}

test('ingester fan-out: a partition nobody owns with records not yet committed fails the query with a retryable error', async () => {
  const c = client(fakeAdmin([10, 10], new Map([[0, 10], [1, 4]])));
  await assert.rejects(c.chunks(request, emptyStats(), new AbortController().signal), (err: unknown) => {
    assert.ok(err instanceof FjordError);
    assert.equal(err.code, 'log_unavailable');
    assert.match(err.message, /^no caught-up ingester in any zone for partitions 1 /);
    return true;
  });
});

test('ingester fan-out: partitions nobody owns but fully committed need no ingester (the store has them)', async () => {
  const c = client(fakeAdmin([10, 0], new Map([[0, 10]])));
  assert.deepEqual(await c.chunks(request, emptyStats(), new AbortController().signal), []);
});

test('ingester fan-out: with partial answers allowed, partitions nobody serves are reported missing and the rest is answered', async () => {
  const c = client(fakeAdmin([10, 10, 10], new Map([[0, 10], [1, 4]])), 3000, true);
  const missing = new Set<number>();
  assert.deepEqual(await c.chunks(request, emptyStats(), new AbortController().signal, missing), []);
  assert.deepEqual([...missing].sort(), [1, 2], 'partition 0 is fully committed: the store has it');
});

test('ingester fan-out: with partial answers allowed, a caller that cannot warn still gets the 503', async () => {
  const c = client(fakeAdmin([10, 10], new Map([[0, 10], [1, 4]])), 3000, true);
  await assert.rejects(c.chunks(request, emptyStats(), new AbortController().signal), /^FjordError: no caught-up ingester in any zone for partitions 1 /);
  await assert.rejects(c.series(request, emptyStats(), new AbortController().signal), /no caught-up ingester in any zone for partitions 1 /);
});

test('ingester fan-out: with partial answers off (the default), a caller that can warn gets the 503 and nothing is reported', async () => {
  const c = client(fakeAdmin([10, 10], new Map([[0, 10], [1, 4]])));
  const missing = new Set<number>();
  await assert.rejects(c.chunks(request, emptyStats(), new AbortController().signal, missing), /no caught-up ingester in any zone for partitions 1 /);
  assert.equal(missing.size, 0);
});

test('ingester fan-out: a Kafka that does not answer fails the lookup within its bound', async () => {
  const c = client(fakeAdmin([10], new Map(), true), 50);
  const t0 = Date.now();
  await assert.rejects(c.series(request, emptyStats(), new AbortController().signal), /cannot find the ingesters: Kafka did not answer within 50 ms/);
  assert.ok(Date.now() - t0 < 2000);
});
