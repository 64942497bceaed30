/**
 * The frontend ↔ querier protocol: queriers pull query pieces from the frontend over HTTP.
 *
 *   POST /frontend/pull?wait_ms=<n>        long poll (n ≤ 30000, default 10000)
 *     200 {"id": "<job id>", "piece": <wire piece>}   a piece to run
 *     204                                               nothing queued within the wait
 *   POST /frontend/result/<id>             body {"ok": true, "result": <wire result>}
 *                                            or {"ok": false, "error": {"code": "<FjordError code>", "message": "…"}}
 *     204  accepted;  404  the piece is no longer awaited (cancelled, timed out, or unknown)
 *
 * Pieces and results use the JSON forms of wire.ts (bigint as strings). A querier runs
 * `querier.max_concurrent` pull loops (QuerierWorker); a piece taken by a querier that dies is
 * not handed out again: its query fails at its timeout.
 */
import type { FastifyInstance } from 'fastify';
import { ERROR_CODES, FjordError, errorMessage, type ErrorCode } from '../../schemas/index.js';
import { withDeadline, type Logger, type Service } from '../../platform/index.js';
import type { QueryBackend } from '../engine/query-backend.js';
import type { PieceScheduler } from './scheduler.js';
import { executePiece } from './piece.js';
import { decodePiece, decodeResult, encodePiece, encodeResult } from './wire.js';

/** Path of the long poll. */
export const PULL_PATH = '/frontend/pull';
/** Path prefix of result reports. */
export const RESULT_PATH = '/frontend/result';
const DEFAULT_WAIT_MS = 10_000;
const MAX_WAIT_MS = 30_000;
/** How long past its wait a pull may take before the querier gives up on it and pulls again. */
const PULL_SLACK_MS = 10_000;
/** How long posting a result may take (past Loki's default query timeout of 1m, as a piece may run that long). */
const RESULT_POST_TIMEOUT_MS = 5 * 60_000;
/** Largest result body accepted from a querier. */
const MAX_RESULT_BYTES = 512 * 1024 * 1024;

/** A FjordError from a reported error, keeping its code when it is one of ours. */
export function errorFromWire(e: { code?: unknown; message?: unknown }): FjordError {
  const code = typeof e.code === 'string' && e.code in ERROR_CODES ? (e.code as ErrorCode) : 'internal';
  return new FjordError(code, typeof e.message === 'string' ? e.message : 'query piece failed on the querier');
}

/** The wire form of an error raised while running a piece. */
export function errorToWire(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof FjordError) return { code: err.code, message: err.message };
  return { code: 'internal', message: errorMessage(err) };
}

/** Register the pull and result routes of the protocol on `app`. */
export function registerFrontendWorkerRoutes(app: FastifyInstance, scheduler: PieceScheduler): void {
  void app.register(async (scope) => {
    scope.post(PULL_PATH, async (req, reply) => {
      const raw = Number((req.query as Record<string, string | undefined>).wait_ms ?? DEFAULT_WAIT_MS);
      const waitMs = Number.isFinite(raw) ? Math.min(MAX_WAIT_MS, Math.max(0, raw)) : DEFAULT_WAIT_MS;
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), waitMs);
      const onClose = (): void => ctl.abort();
      reply.raw.on('close', onClose);
      try {
        const job = await scheduler.takeJob(ctl.signal);
        if (job === null) return reply.code(204).send();
        if (reply.raw.destroyed) {
          scheduler.completeJob(job.id, { ok: false, error: new FjordError('server_overloaded', 'querier went away before taking the piece') });
          return reply;
        }
        return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify({ id: job.id, piece: encodePiece(job.piece) }));
      } finally {
        clearTimeout(timer);
        reply.raw.off('close', onClose);
      }
    });
    scope.post(`${RESULT_PATH}/:id`, { bodyLimit: MAX_RESULT_BYTES }, async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const body = req.body as { ok?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } } | null;
      if (body === null || typeof body !== 'object') throw new FjordError('bad_request', 'malformed result report');
      const known = body.ok === true
        ? scheduler.completeJob(id, { ok: true, result: decodeResult(body.result) })
        : scheduler.completeJob(id, { ok: false, error: errorFromWire(body.error ?? {}) });
      return known ? reply.code(204).send() : reply.code(404).type('text/plain; charset=utf-8').send('unknown query piece\n');
    });
  });
}

/** Settings of a querier's pull loops. */
export interface QuerierWorkerOptions {
  /** `frontend_worker.frontend_address`: host:port, or a base URL. */
  readonly frontendAddress: string;
  /** Pull loops (`querier.max_concurrent`). */
  readonly concurrency: number;
  /** Long-poll wait asked of the frontend. */
  readonly pullWaitMs?: number;
  /** Pause after a failed pull before trying again. */
  readonly retryDelayMs?: number;
}

/** Pulls pieces from a query frontend and runs them on a local QueryBackend (a querier). */
export class QuerierWorker implements Service {
  readonly name = 'querier-worker';
  private readonly stopController = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly base: string;

  constructor(
    private readonly opts: QuerierWorkerOptions,
    private readonly backend: QueryBackend,
    private readonly logger: Logger,
  ) {
    this.base = /^https?:\/\//.test(opts.frontendAddress) ? opts.frontendAddress.replace(/\/+$/, '') : `http://${opts.frontendAddress}`;
  }

  async start(): Promise<void> {
    for (let i = 0; i < Math.max(1, this.opts.concurrency); i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    const stop = this.stopController.signal;
    const wait = this.opts.pullWaitMs ?? DEFAULT_WAIT_MS;
    while (!stop.aborted) {
      let job: { id: string; piece: unknown } | null;
      try {
        job = await withDeadline(stop, wait + PULL_SLACK_MS, async (bounded) => {
          const res = await fetch(`${this.base}${PULL_PATH}?wait_ms=${wait}`, { method: 'POST', signal: bounded });
          if (res.status === 204) return null;
          if (res.status !== 200) throw new Error(`pull answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
          return (await res.json()) as { id: string; piece: unknown };
        });
        if (job === null) continue;
      } catch (err) {
        if (stop.aborted) return;
        this.logger.warn({ err: errorMessage(err), frontend: this.base }, 'pulling query pieces failed; retrying');
        await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 1000));
        continue;
      }
      await this.run(job);
    }
  }

  private async run(job: { id: string; piece: unknown }): Promise<void> {
    let report: unknown;
    try {
      const piece = decodePiece(job.piece);
      const result = await executePiece(this.backend, piece, this.stopController.signal);
      report = { ok: true, result: encodeResult(result) };
    } catch (err) {
      report = { ok: false, error: errorToWire(err) };
    }
    try {
      await withDeadline(this.stopController.signal, RESULT_POST_TIMEOUT_MS, async (bounded) => {
        const res = await fetch(`${this.base}${RESULT_PATH}/${encodeURIComponent(job.id)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(report),
          signal: bounded,
        });
        await res.arrayBuffer();
      });
    } catch (err) {
      if (!this.stopController.signal.aborted) this.logger.warn({ err: errorMessage(err) }, 'reporting a query piece result failed');
    }
  }
}
