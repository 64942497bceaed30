import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIGRATE_CHECK_COMMAND, comparisonLines, migrationProblems, parseMigrateCheckArgs, periodDate } from '../../../../consumers/migrate/migrate-check.js';
import { FjordError } from '../../../../schemas/index.js';
import { splitCommandArgs } from '../../../../platform/index.js';

const part = (end: number, committed: Record<string, number>, endAfter = end) => ({ partition: 0, end, endAfter, committed: new Map(Object.entries(committed)) });
const table = (missing: string[] = []) => ({ tenant: 't', period: 20_425, oldChunks: 3, newChunks: 3, sameKey: 3 - missing.length, byContent: 0, missing });

const CASES = [
  { name: 'everything durable, quiet, present', parts: [part(10, { 'fjord-ingester-a': 10 })], tables: [table()], want: [] },
  { name: 'one zone of two is enough', parts: [part(10, { 'fjord-ingester-a': 4, 'fjord-ingester-b': 10 })], tables: [], want: [] },
  { name: 'an empty topic needs no consumer', parts: [part(0, {})], tables: [], want: [] },
  { name: 'records not durable', parts: [part(10, { 'fjord-ingester-a': 7 })], tables: [], want: [/partition 0: 3 records are not durable yet \(committed 7, end 10\)/] },
  { name: 'nothing consumed the topic', parts: [part(5, {})], tables: [], want: [/no ingester group has consumed the old topic \(5 records\)/] },
  { name: 'writes still arrive', parts: [part(10, { g: 10 }, 12)], tables: [], want: [/2 records were produced to the old topic in 10s: point writes at the new cluster first/] },
  { name: 'chunks missing from the new store', parts: [], tables: [table(['t/chunks/x'])], want: [/tenant t, period 2025-12-03: 1 of 3 old chunks are not in the new store \(e\.g\. t\/chunks\/x\)/] },
] as const;
for (const c of CASES) {
  test(`migrationProblems: ${c.name}`, () => {
    const got = migrationProblems(c.parts, c.tables, 10_000);
    assert.equal(got.length, c.want.length, got.join('\n'));
    c.want.forEach((re, i) => assert.match(got[i] as string, re));
  });
}

test('parseMigrateCheckArgs: options, defaults and errors', () => {
  const args = (argv: string[]) => parseMigrateCheckArgs(splitCommandArgs(MIGRATE_CHECK_COMMAND, argv));
  assert.deepEqual(args(['--new-config', 'n.yaml']), { newConfig: 'n.yaml', tenant: null, fromNs: null, toNs: null, quietMs: 10_000 });
  assert.equal(args(['--new-config=n.yaml', '--from', '1700000000', '--quiet-period', '1m']).fromNs, 1_700_000_000_000_000_000n);
  assert.throws(() => args([]), (e) => e instanceof FjordError && /--new-config is required/.test(e.message));
  assert.throws(() => args(['--new-config', 'n', '--quiet-period', 'soon']), /--quiet-period: "soon" is not a duration/);
});

test('comparisonLines: an aligned table; periodDate: the first day of the period', () => {
  assert.equal(periodDate(20_425), '2025-12-03');
  assert.deepEqual(comparisonLines([table()]), [
    'tenant  period      old chunks  new chunks  same key  by content  missing',
    't       2025-12-03  3           3           3         0           0',
  ]);
});
