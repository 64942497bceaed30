/**
 * Running a query's pieces with bounded parallelism while taking their results in order, and
 * stopping early (cancelling the rest) once the results in hand suffice — Loki's
 * split_by_interval `Process` loop.
 */
import { setMaxListeners } from 'node:events';
import { FjordError } from '../../schemas/index.js';

/**
 * Run pieces with at most `parallelism` at once, taking results in piece order; stop (and
 * cancel the rest) once `enough` says the results so far suffice. The first failure cancels
 * the rest and is thrown.
 */
export async function runOrdered<R>(
  count: number,
  run: (i: number, signal: AbortSignal) => Promise<R>,
  parallelism: number,
  signal: AbortSignal,
  enough: (results: readonly R[]) => boolean = () => false,
): Promise<R[]> {
  const ctl = new AbortController();
  const both = AbortSignal.any([signal, ctl.signal]);
  setMaxListeners(0, both);
  const promises: Promise<R>[] = [];
  let started = 0;
  const startNext = (): void => {
    if (started >= count || both.aborted) return;
    const i = started++;
    const p = run(i, both);
    promises[i] = p;
    p.then(startNext, () => {});
  };
  for (let k = 0; k < Math.max(1, parallelism); k++) startNext();
  const out: R[] = [];
  try {
    for (let i = 0; i < count; i++) {
      if (promises[i] === undefined) startNext();
      out.push(await (promises[i] as Promise<R>));
      if (enough(out)) break;
    }
    return out;
  } finally {
    ctl.abort(new FjordError('client_closed', 'split no longer needed'));
  }
}
