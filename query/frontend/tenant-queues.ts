/**
 * Per-tenant FIFO queues served round-robin, as Loki's request queue (`L:pkg/queue`): a worker
 * asking for work gets the oldest item of the next tenant in turn, so a tenant with a thousand
 * pieces queued does not starve one with a single piece. Each tenant may have at most
 * `maxPerTenant` items waiting; past it `enqueue` throws FjordError('too_many_outstanding_requests')
 * ("too many outstanding requests", 429).
 */
import { FjordError } from '../../schemas/index.js';

/** Loki's queue.ErrTooManyRequests text. */
export const ERR_TOO_MANY_OUTSTANDING = 'too many outstanding requests';

/** An item handed to a worker, with the tenant (queue key) it was queued for. */
export interface Dequeued<T> {
  readonly tenant: string;
  readonly item: T;
}

/** Round-robin per-tenant queues with a bound per tenant. */
export class TenantQueues<T> {
  private readonly queues = new Map<string, T[]>();
  /** Tenants with a non-empty queue, in the order they are served. */
  private readonly order: string[] = [];
  private cursor = 0;
  private readonly waiters: Array<{ give: (d: Dequeued<T>) => void; fail: (err: Error) => void }> = [];
  private closedReason: Error | null = null;

  constructor(private readonly maxPerTenant: number) {}

  /** Items waiting, over all tenants. */
  get length(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  /** Items waiting for `tenant`. */
  lengthOf(tenant: string): number {
    return this.queues.get(tenant)?.length ?? 0;
  }

  /** Queue `item` for `tenant`; a waiting worker gets it at once. Throws 429 past the bound. */
  enqueue(tenant: string, item: T): void {
    if (this.closedReason !== null) throw this.closedReason;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter.give({ tenant, item });
      return;
    }
    let q = this.queues.get(tenant);
    if (q === undefined) {
      q = [];
      this.queues.set(tenant, q);
    }
    if (q.length >= this.maxPerTenant) throw new FjordError('too_many_outstanding_requests', ERR_TOO_MANY_OUTSTANDING);
    q.push(item);
    if (q.length === 1) this.order.push(tenant);
  }

  /** The next item in round-robin order, or null when every queue is empty. */
  tryDequeue(): Dequeued<T> | null {
    if (this.order.length === 0) return null;
    const idx = this.cursor % this.order.length;
    const tenant = this.order[idx] as string;
    const q = this.queues.get(tenant) as T[];
    const item = q.shift() as T;
    if (q.length === 0) {
      this.order.splice(idx, 1);
      this.queues.delete(tenant);
      this.cursor = idx;
    } else {
      this.cursor = idx + 1;
    }
    return { tenant, item };
  }

  /** Wait for the next item; rejects with the signal's reason when it aborts, or when closed. */
  dequeue(signal: AbortSignal): Promise<Dequeued<T>> {
    const now = this.tryDequeue();
    if (now !== null) return Promise.resolve(now);
    if (this.closedReason !== null) return Promise.reject(this.closedReason);
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal.reason as Error);
      };
      const waiter = {
        give: (d: Dequeued<T>): void => {
          signal.removeEventListener('abort', onAbort);
          resolve(d);
        },
        fail: (err: Error): void => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      this.waiters.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Take `item` out of `tenant`'s queue if it is still waiting; true when it was. */
  remove(tenant: string, item: T): boolean {
    const q = this.queues.get(tenant);
    if (q === undefined) return false;
    const i = q.indexOf(item);
    if (i < 0) return false;
    q.splice(i, 1);
    if (q.length === 0) {
      const idx = this.order.indexOf(tenant);
      this.order.splice(idx, 1);
      if (this.cursor > idx) this.cursor--;
      this.queues.delete(tenant);
    }
    return true;
  }

  /** Stop accepting items; returns those still queued. Waiting workers are rejected with `reason`. */
  close(reason: Error): T[] {
    this.closedReason = reason;
    const left: T[] = [];
    for (const q of this.queues.values()) left.push(...q);
    this.queues.clear();
    this.order.length = 0;
    for (const w of this.waiters.splice(0)) w.fail(reason);
    return left;
  }
}
