/**
 * The bound on one query's pieces in the queues or on queriers at once (`max_query_parallelism`),
 * across its splits and their shards, so a sharded query cannot fill its tenant's queue. Waiters
 * are served in arrival order; a freed slot passes straight to the next waiter.
 */

/** A counting semaphore over a query's pieces. */
export class PieceSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  /** `size` slots, at least one. */
  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  /** Run `fn` in a slot, waiting for one; rejects with the signal's reason when it aborts first. */
  async run<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason as Error);
      };
      this.waiting.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next === undefined) this.free++;
    else next();
  }
}
