/** A query's slots: at most `size` at once, waiters in order, a cancelled waiter leaves the line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PieceSlots } from '../../../../query/frontend/piece-slots.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

test('PieceSlots: at most size run at once; freed slots go to waiters in arrival order', async () => {
  const slots = new PieceSlots(2);
  const signal = new AbortController().signal;
  const gates = [gate(), gate(), gate(), gate()];
  const started: number[] = [];
  const runs = gates.map((g, i) => slots.run(async () => {
    started.push(i);
    await g.promise;
    return i;
  }, signal));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1]);
  gates[1]?.open();
  await runs[1];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, [0, 1, 2]);
  for (const g of gates) g.open();
  assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
});

test('PieceSlots: a waiter whose signal aborts is rejected and takes no slot', async () => {
  const slots = new PieceSlots(1);
  const hold = gate();
  const first = slots.run(() => hold.promise, new AbortController().signal);
  const ctl = new AbortController();
  let ran = false;
  const waiting = slots.run(async () => {
    ran = true;
  }, ctl.signal);
  ctl.abort(new Error('cancelled'));
  await assert.rejects(waiting, /cancelled/);
  hold.open();
  await first;
  assert.equal(ran, false);
  assert.equal(await slots.run(async () => 'next', new AbortController().signal), 'next', 'the slot is free again');
  await assert.rejects(slots.run(async () => 1, AbortSignal.abort(new Error('already'))), /already/);
});
