/**
 * How far an ingester has consumed each partition it owns, and waiting for that to pass given
 * offsets (read-your-writes: a query carrying a push's write position waits until the data is
 * here). The ingester reports after each batch; waiters wake then, when a partition is revoked,
 * or at their deadline.
 */

/** One owned partition's consumption. */
export interface Consumption {
  /** The next offset to consume. */
  readonly consumed: number;
  /** The partition's end at the last fetch. */
  readonly end: number;
  /** Record time of the last record consumed; null before the first. */
  readonly lastRecordMs: number | null;
}

interface Waiter {
  readonly positions: ReadonlyMap<number, number>;
  readonly wake: () => void;
}

/** Consumption of the owned partitions, and waits on it. */
export class ConsumptionWatch {
  private readonly partitions = new Map<number, Consumption>();
  private readonly waiters = new Set<Waiter>();

  /** A partition gained: consumption starts at `start`. */
  assigned(partition: number, start: number, end: number): void {
    this.partitions.set(partition, { consumed: start, end, lastRecordMs: null });
    this.wake();
  }

  /** A partition lost. */
  revoked(partition: number): void {
    this.partitions.delete(partition);
    this.wake();
  }

  /** A batch of `partition` consumed up to (not including) `consumed`. */
  consumedUpTo(partition: number, consumed: number, end: number, lastRecordMs: number | null): void {
    const prev = this.partitions.get(partition);
    if (!prev) return;
    this.partitions.set(partition, { consumed, end: Math.max(end, consumed), lastRecordMs: lastRecordMs ?? prev.lastRecordMs });
    this.wake();
  }

  get(partition: number): Consumption | undefined {
    return this.partitions.get(partition);
  }

  /** True when every listed partition owned here is consumed to its offset. */
  reached(positions: ReadonlyMap<number, number>): boolean {
    for (const [p, offset] of positions) {
      const c = this.partitions.get(p);
      if (c && c.consumed < offset) return false;
    }
    return true;
  }

  /** Resolve once `reached(positions)`, or after `timeoutMs`, or when `signal` aborts. */
  async waitFor(positions: ReadonlyMap<number, number>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.reached(positions) || timeoutMs <= 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(waiter);
        resolve();
      };
      const waiter: Waiter = { positions, wake: () => this.reached(positions) && done() };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.add(waiter);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w.wake();
  }
}
