/**
 * Bounding an operation in time. `AbortSignal.any([signal, AbortSignal.timeout(ms)])` cannot be
 * relied on in Node 20: the combined signal holds its sources weakly, so once a collection has
 * run, a timeout signal that nothing else references is gone and never fires, and a request it was
 * to bound can wait for ever (Node 20's fetch does, when a server closes the connection as soon as
 * it accepts it). Here the deadline is a timer, which the event loop holds until it fires or the
 * operation ends.
 */

/** The reason a deadline aborts with, as `AbortSignal.timeout` gives. */
function timeoutReason(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

/**
 * Run `operation` with a signal that aborts when `signal` does (with its reason) or after `ms`
 * (with a TimeoutError). The deadline covers what `operation` awaits, a response body included
 * when it reads it, and ends with it.
 */
export async function withDeadline<T>(signal: AbortSignal | null, ms: number, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctl = new AbortController();
  const onAbort = (): void => ctl.abort(signal?.reason);
  if (signal?.aborted) ctl.abort(signal.reason);
  else signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => ctl.abort(timeoutReason()), ms);
  try {
    return await operation(ctl.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
