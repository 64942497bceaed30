/** Per-tenant queues (Loki's `L:pkg/queue`): round-robin across tenants, FIFO within one, 429 past the bound. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { TenantQueues } from '../../../../query/frontend/tenant-queues.js';

function drain(q: TenantQueues<string>): string[] {
  const out: string[] = [];
  for (let d = q.tryDequeue(); d !== null; d = q.tryDequeue()) out.push(d.item);
  return out;
}

const cases: Array<{ name: string; items: Array<[string, string]>; want: string[] }> = [
  { name: 'one tenant is FIFO', items: [['a', 'a1'], ['a', 'a2'], ['a', 'a3']], want: ['a1', 'a2', 'a3'] },
  {
    name: 'tenants take turns whatever their queue lengths',
    items: [['a', 'a1'], ['a', 'a2'], ['a', 'a3'], ['b', 'b1'], ['c', 'c1'], ['c', 'c2']],
    want: ['a1', 'b1', 'c1', 'a2', 'c2', 'a3'],
  },
  {
    name: 'a tenant arriving late joins the rotation',
    items: [['a', 'a1'], ['a', 'a2'], ['a', 'a3'], ['a', 'a4'], ['b', 'b1'], ['b', 'b2']],
    want: ['a1', 'b1', 'a2', 'b2', 'a3', 'a4'],
  },
];
for (const c of cases) {
  test(`round robin: ${c.name}`, () => {
    const q = new TenantQueues<string>(100);
    for (const [t, item] of c.items) q.enqueue(t, item);
    assert.deepEqual(drain(q), c.want);
  });
}

test('fairness: a heavy tenant does not delay a light one by more than one turn', () => {
  const q = new TenantQueues<string>(10_000);
  for (let i = 0; i < 1000; i++) q.enqueue('heavy', `h${i}`);
  q.tryDequeue();
  q.enqueue('light', 'l0');
  const next = [q.tryDequeue()?.item, q.tryDequeue()?.item];
  assert.ok(next.includes('l0'), `light tenant served after ${JSON.stringify(next)}`);
});

test('past max_outstanding_per_tenant: 429 too many outstanding requests, other tenants unaffected', () => {
  const q = new TenantQueues<string>(2);
  q.enqueue('a', '1');
  q.enqueue('a', '2');
  assert.throws(() => q.enqueue('a', '3'), (e: unknown) => e instanceof FjordError && e.code === 'too_many_outstanding_requests' && e.message === 'too many outstanding requests');
  q.enqueue('b', '1');
  assert.equal(q.lengthOf('a'), 2);
  assert.equal(q.length, 3);
});

test('dequeue waits for work; an abort rejects the wait', async () => {
  const q = new TenantQueues<string>(10);
  const waiting = q.dequeue(new AbortController().signal);
  q.enqueue('a', 'x');
  assert.deepEqual(await waiting, { tenant: 'a', item: 'x' });
  const ctl = new AbortController();
  const w = q.dequeue(ctl.signal);
  ctl.abort(new Error('stop'));
  await assert.rejects(w, /stop/);
  q.enqueue('a', 'y');
  assert.equal(q.tryDequeue()?.item, 'y');
});

test('remove takes a waiting item out and keeps the rotation right', () => {
  const q = new TenantQueues<string>(10);
  q.enqueue('a', 'a1');
  q.enqueue('b', 'b1');
  q.enqueue('c', 'c1');
  assert.equal(q.remove('b', 'b1'), true);
  assert.equal(q.remove('b', 'b1'), false);
  assert.deepEqual(drain(q), ['a1', 'c1']);
});

test('close hands back queued items and rejects waiting workers', async () => {
  const q = new TenantQueues<string>(10);
  const w = q.dequeue(new AbortController().signal);
  const closedErr = new Error('closing');
  assert.deepEqual(q.close(closedErr), []);
  await assert.rejects(w, /closing/);
  assert.throws(() => q.enqueue('a', 'x'), /closing/);
});
