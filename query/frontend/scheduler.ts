/**
 * The frontend's scheduler, as Loki's query scheduler: query pieces wait on per-tenant queues
 * served round-robin (`frontend.max_outstanding_per_tenant`, 429 past it) until a querier pulls
 * them — in-process workers over a local querier, or remote queriers over HTTP (remote.ts) — and
 * a failed piece is queued again as the retry policy allows (`query_range.max_retries`).
 */
import { setMaxListeners } from 'node:events';
import { FjordError } from '../../schemas/index.js';
import type { QueryBackend } from '../engine/query-backend.js';
import type { FrontendMetrics } from './metrics.js';
import { executePiece, queueKeyOf, type Piece, type PieceResult } from './piece.js';
import type { PieceSlots } from './piece-slots.js';
import { retryPolicy, withRetries, type RetryPolicy } from './retry.js';
import { TenantQueues } from './tenant-queues.js';

/** The outcome of a piece, as a worker reports it. */
export type PieceOutcome = { readonly ok: true; readonly result: PieceResult } | { readonly ok: false; readonly error: unknown };

/** A queued piece. */
export interface FrontendJob {
  readonly id: string;
  readonly piece: Piece;
  readonly signal: AbortSignal;
  readonly enqueuedAtMs: number;
  dequeuedAtMs: number;
  settled: boolean;
  settle(outcome: PieceOutcome): void;
}

/** A piece's result and the time it waited in the queue. */
export interface ScheduledResult {
  readonly result: PieceResult;
  readonly queueMs: number;
}

/** Queues of pieces, the workers that take them, and retries. */
export class PieceScheduler {
  private readonly queues: TenantQueues<FrontendJob>;
  private readonly inflight = new Map<string, FrontendJob>();
  private readonly policy: RetryPolicy;
  private readonly stopController = new AbortController();
  private workers: Promise<void>[] = [];
  private seq = 0;

  constructor(
    maxOutstandingPerTenant: number,
    maxRetries: number,
    private readonly metrics: FrontendMetrics,
    private readonly nowMs: () => number,
  ) {
    this.queues = new TenantQueues(maxOutstandingPerTenant);
    this.policy = retryPolicy(maxRetries);
  }

  /** Run `count` in-process workers over `local`. */
  startLocalWorkers(local: QueryBackend, count: number): void {
    for (let i = 0; i < count; i++) this.workers.push(this.localWorker(local));
  }

  /** Fail every queued and running piece and wait for the local workers. */
  async stop(): Promise<void> {
    if (this.stopController.signal.aborted) return;
    const reason = new FjordError('server_overloaded', 'the query frontend is stopping');
    this.stopController.abort(reason);
    for (const job of this.queues.close(reason)) job.settle({ ok: false, error: reason });
    for (const job of this.inflight.values()) job.settle({ ok: false, error: reason });
    await Promise.all(this.workers);
  }

  /** Pieces waiting in the queues. */
  get queued(): number {
    return this.queues.length;
  }

  /** Take the next piece for a worker, waiting for one; null when `signal` aborts or the scheduler stops. */
  async takeJob(signal: AbortSignal): Promise<FrontendJob | null> {
    const both = AbortSignal.any([signal, this.stopController.signal]);
    setMaxListeners(0, both);
    for (;;) {
      let d;
      try {
        d = await this.queues.dequeue(both);
      } catch {
        return null;
      }
      this.metrics.queueLength.set({ tenant: d.tenant }, this.queues.lengthOf(d.tenant));
      const job = d.item;
      if (job.settled) continue;
      job.dequeuedAtMs = this.nowMs();
      this.metrics.queueDuration.observe((job.dequeuedAtMs - job.enqueuedAtMs) / 1000);
      this.inflight.set(job.id, job);
      return job;
    }
  }

  /** Report the outcome of a piece a worker took; false when it is no longer awaited. */
  completeJob(id: string, outcome: PieceOutcome): boolean {
    const job = this.inflight.get(id);
    if (job === undefined) return false;
    job.settle(outcome);
    return true;
  }

  /** Queue a piece, trying again as the retry policy allows; each try holds one of `slots` when given. */
  run(piece: Piece, signal: AbortSignal, slots?: PieceSlots): Promise<ScheduledResult> {
    const attempt = (): Promise<ScheduledResult> => this.dispatch(piece, signal);
    return withRetries(slots === undefined ? attempt : () => slots.run(attempt, signal), this.policy, signal, (tries) => this.metrics.retries.observe(tries - 1));
  }

  private async localWorker(local: QueryBackend): Promise<void> {
    for (;;) {
      const job = await this.takeJob(this.stopController.signal);
      if (job === null) return;
      try {
        job.settle({ ok: true, result: await executePiece(local, job.piece, job.signal) });
      } catch (error) {
        job.settle({ ok: false, error });
      }
    }
  }

  /** Queue one piece and wait for a worker's outcome; the wait counts as queue time. */
  private dispatch(piece: Piece, signal: AbortSignal): Promise<ScheduledResult> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason as Error);
      const tenant = queueKeyOf(piece);
      const onAbort = (): void => {
        this.queues.remove(tenant, job);
        job.settle({ ok: false, error: signal.reason });
      };
      const job: FrontendJob = {
        id: `${++this.seq}`,
        piece,
        signal,
        enqueuedAtMs: this.nowMs(),
        dequeuedAtMs: 0,
        settled: false,
        settle: (o) => {
          if (job.settled) return;
          job.settled = true;
          signal.removeEventListener('abort', onAbort);
          this.inflight.delete(job.id);
          if (o.ok) resolve({ result: o.result, queueMs: Math.max(0, (job.dequeuedAtMs || this.nowMs()) - job.enqueuedAtMs) });
          else reject(o.error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        this.queues.enqueue(tenant, job);
        this.metrics.queueLength.set({ tenant }, this.queues.lengthOf(tenant));
      } catch (err) {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      }
    });
  }
}
