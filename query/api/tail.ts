/**
 * Live tail over a WebSocket (`/loki/api/v1/tail`, legacy `/api/prom/tail`), as Loki's
 * `L:pkg/querier/tail/http.go`: parameters are checked before the upgrade (400 plain text on
 * error); then each tail frame is written as one JSON text message, a ping goes out every second,
 * and the socket is closed with 1011 and the reason when the tail fails or reaches
 * `querier.tail_max_duration` ("reached tail max duration limit"). With `delay_for`, entries are
 * held that many seconds and sent merged in timestamp order.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { FjordError, errorMessage } from '../../schemas/index.js';
import { formatLabels, type Labels } from '../../schemas/labels/index.js';
import type { QueryBackend, ResultEntry, ResultStream, TailFrame } from '../engine/query-backend.js';
import { parseExpr, type Expr } from '../logql/index.js';
import { describeError, type Logger } from '../../platform/index.js';
import { applyLegacyRegexp } from './query-handlers.js';
import { formFromStrings, parseTailParams, type TailParams } from './params.js';
import { FLAG_CATEGORIZE_LABELS, encodeLegacyTailFrame, encodeTailFrame, parseEncodingFlags } from './responses.js';
import { CLOSE_CODE } from './websocket-frames.js';
import { acceptWebSocket, rejectUpgrade, type WebSocketConnection } from './websocket.js';

/** Loki's tail ping period. */
const PING_PERIOD_MS = 1000;

/** What the tail endpoint needs. */
export interface TailDeps {
  readonly backend: QueryBackend;
  /** Resolve the tenants of a request from its X-Scope-OrgID header (throws FjordError). */
  readonly tenantsOf: (header: string | undefined) => string[];
  readonly tailMaxDurationMs: number;
  readonly nowNs: () => bigint;
  readonly logger: Logger;
  /** Live tails, so that a stopping server can close them (1001 going away). */
  readonly active: Set<() => void>;
}

/** The paths served by the tail upgrade handler, and whether each is the legacy one. */
export const TAIL_PATHS: Readonly<Record<string, boolean>> = { '/loki/api/v1/tail': false, '/api/prom/tail': true };

/** Merge held frames into one: streams by labels, entries sorted by timestamp. */
export function mergeTailFrames(frames: readonly TailFrame[]): TailFrame {
  const streams = new Map<string, { labels: Labels; entries: ResultEntry[] }>();
  const dropped: Array<{ labels: Labels; tsNs: bigint }> = [];
  for (const f of frames) {
    for (const s of f.streams) {
      const key = formatLabels(s.labels);
      let g = streams.get(key);
      if (g === undefined) streams.set(key, (g = { labels: s.labels, entries: [] }));
      g.entries.push(...s.entries);
    }
    dropped.push(...f.dropped);
  }
  const out: ResultStream[] = [];
  for (const g of streams.values()) out.push({ labels: g.labels, entries: g.entries.sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0)) });
  return { streams: out, dropped };
}

/**
 * Handle an upgrade request for a tail path: validate, accept, stream until the client leaves,
 * the tail ends or fails, or the max duration passes.
 */
export function handleTailUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, legacy: boolean, deps: TailDeps): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const form = formFromStrings(url.search, null);
  let tenants: string[];
  let params: TailParams;
  let query: string;
  let expr: Expr;
  try {
    query = form.get('query') ?? '';
    expr = parseExpr(query);
    query = applyLegacyRegexp(query, form.get('regexp'));
    if (query !== (form.get('query') ?? '')) expr = parseExpr(query);
    params = parseTailParams(form, deps.nowNs());
    const h = req.headers['x-scope-orgid'];
    tenants = deps.tenantsOf(Array.isArray(h) ? h[0] : h);
  } catch (err) {
    const { status, body } = describeError(err);
    rejectUpgrade(socket, status, body);
    return;
  }
  const conn = acceptWebSocket(req, socket, head);
  if (conn === null) return;
  const h = req.headers['x-loki-response-encoding-flags'];
  const categorizeLabels = parseEncodingFlags(Array.isArray(h) ? h.join(',') : h).has(FLAG_CATEGORIZE_LABELS);
  const controller = new AbortController();
  const selector = expr;
  const tail = params;
  void runTail(conn, { legacy, categorizeLabels, delayMs: tail.delayForS * 1000 }, () => {
    if (selector.kind !== 'logSelector') throw new FjordError('bad_request', 'only log selector is supported');
    return deps.backend.tail({ tenants, query, expr: selector, startNs: tail.startNs, limit: tail.limit }, controller.signal);
  }, deps, controller);
}

async function runTail(
  conn: WebSocketConnection,
  opts: { legacy: boolean; categorizeLabels: boolean; delayMs: number },
  open: () => AsyncIterable<TailFrame>,
  deps: TailDeps,
  controller: AbortController,
): Promise<void> {
  const send = (frame: TailFrame): void => {
    if (frame.streams.length === 0 && frame.dropped.length === 0) return;
    conn.sendText(opts.legacy ? encodeLegacyTailFrame(frame) : encodeTailFrame(frame, { categorizeLabels: opts.categorizeLabels, direction: 'forward' }));
  };
  const held: TailFrame[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    flushTimer = null;
    send(mergeTailFrames(held.splice(0)));
  };
  const ping = setInterval(() => conn.ping(), PING_PERIOD_MS);
  const goAway = (): void => {
    controller.abort(new FjordError('client_closed', 'the server is stopping'));
    conn.close(CLOSE_CODE.goingAway, 'server stopping');
  };
  deps.active.add(goAway);
  const maxTimer = setTimeout(() => {
    controller.abort(new FjordError('bad_request', 'reached tail max duration limit'));
    conn.close(CLOSE_CODE.internalError, 'reached tail max duration limit');
  }, deps.tailMaxDurationMs);
  void conn.whenClosed().then(() => controller.abort(new FjordError('client_closed', 'the request was cancelled by the client')));
  try {
    for await (const frame of open()) {
      if (controller.signal.aborted) break;
      if (opts.delayMs <= 0) send(frame);
      else {
        held.push(frame);
        flushTimer ??= setTimeout(flush, opts.delayMs);
      }
    }
    if (!controller.signal.aborted) {
      if (flushTimer !== null) {
        clearTimeout(flushTimer);
        flush();
      }
      conn.close(CLOSE_CODE.normal, '');
    }
  } catch (err) {
    if (!controller.signal.aborted) {
      deps.logger.warn({ err: errorMessage(err) }, 'tail failed');
      conn.close(CLOSE_CODE.internalError, errorMessage(err));
    }
  } finally {
    deps.active.delete(goAway);
    clearInterval(ping);
    clearTimeout(maxTimer);
    if (flushTimer !== null) clearTimeout(flushTimer);
    controller.abort(new FjordError('client_closed', 'the request was cancelled by the client'));
  }
}
