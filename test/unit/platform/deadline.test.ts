/** withDeadline on real timers (a few milliseconds each), and across full collections in a child process. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { withDeadline } from '../../../platform/deadline.js';

const deadlineModule = new URL('../../../platform/deadline.js', import.meta.url).href;

/** Resolve when `signal` aborts, with its reason. */
function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}

test('withDeadline: the operation is aborted with a TimeoutError after the time, even when full collections run meanwhile', () => {
  // A process of its own, started with --expose-gc: the operation waits only on its signal.
  const script = `
    import { withDeadline } from '${deadlineModule}';
    const t0 = performance.now();
    const collecting = setInterval(() => gc(), 5);
    const reason = await withDeadline(null, 100, (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason))));
    clearInterval(collecting);
    console.log(JSON.stringify({ name: reason.name, ms: performance.now() - t0 }));
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
  const { name, ms } = JSON.parse(out) as { name: string; ms: number };
  assert.equal(name, 'TimeoutError');
  assert.ok(ms >= 95, `not before its time (${ms} ms)`);
});

test('withDeadline: the caller’s abort reaches the operation with the caller’s reason', async () => {
  const caller = new AbortController();
  const why = new Error('the query was cancelled');
  const reason = await withDeadline(caller.signal, 60_000, async (signal) => {
    setTimeout(() => caller.abort(why), 5);
    return aborted(signal);
  });
  assert.equal(reason, why);
});

test('withDeadline: an already aborted caller gives an aborted signal', async () => {
  const caller = new AbortController();
  caller.abort(new Error('gone'));
  assert.equal(await withDeadline(caller.signal, 60_000, async (signal) => signal.aborted), true);
});

test('withDeadline: once the operation ends, neither the time nor the caller aborts its signal', async () => {
  const caller = new AbortController();
  const kept = await withDeadline(caller.signal, 20, async (signal) => signal);
  caller.abort();
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(kept.aborted, false);
});

test('withDeadline: what the operation throws is what the caller gets', async () => {
  await assert.rejects(withDeadline(null, 60_000, async () => {
    throw new Error('refused');
  }), /refused/);
});
