/**
 * Loki's delete API on the compactor (`L:pkg/compactor/deletion/request_handler.go`): reading a
 * new request from its parameters, the JSON of the request list, and whether a request may be
 * cancelled, with Loki's messages. Pure: the clock and the LogQL compiler are arguments.
 */
import { FjordError } from '../../schemas/index.js';
import { formatGoDuration, parseGoDuration } from '../../schemas/go/index.js';
import {
  deleteRequestStatus, newDeleteRequestId, splitDeleteInterval, type DeleteRequest,
} from '../../schemas/index/index.js';
import type { LogSelectorCompiler } from '../../schemas/labels/index.js';
import type { StoredDeleteRequest } from '../../platform/index.js';

/** Loki's message when a tenant's `deletion_mode` is `disabled`. */
export const DELETION_NOT_AVAILABLE = 'deletion is not available for this tenant';

/** A stored request and the pieces already processed. */
export type DeleteRequestState = StoredDeleteRequest;

function bad(message: string): FjordError {
  return new FjordError('bad_request', message);
}

function formatMs(ms: number): string {
  return formatGoDuration(BigInt(Math.round(ms)) * 1_000_000n);
}

/** Go's time.RFC3339 as time.Parse reads it (a fraction of a second is accepted). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * A time parameter in ms: empty is now; RFC3339, or unix seconds of exactly 10 digits (Loki's
 * `parseTime`); null for anything else.
 */
export function parseDeleteTime(text: string, nowMs: number): number | null {
  if (text === '') return nowMs;
  if (RFC3339.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  if (/^\d{10}$/.test(text)) return Number(text) * 1000;
  return null;
}

/** What a new request needs besides its parameters. */
export interface NewRequestContext {
  readonly tenant: string;
  readonly nowMs: number;
  /** Now in ns, for the request id. */
  readonly nowNs: bigint;
  /** `compactor.delete_max_interval`, ms (0: no limit). */
  readonly maxIntervalMs: number;
  readonly compile: LogSelectorCompiler;
}

function shardInterval(params: URLSearchParams, startMs: number, endMs: number, maxIntervalMs: number): number {
  const text = params.get('max_interval') ?? '';
  if (text === '') return maxIntervalMs;
  const parsed = parseGoDuration(text);
  if (!parsed.ok || parsed.value < 1_000_000_000n) throw bad("invalid max_interval: valid time units are 's', 'm', 'h'");
  const ms = Number(parsed.value / 1_000_000n);
  if (ms > maxIntervalMs && maxIntervalMs !== 0) throw bad(`max_interval can't be greater than ${formatMs(maxIntervalMs)}`);
  if (ms > endMs - startMs) throw bad(`max_interval can't be greater than the interval to be deleted (${formatMs(endMs - startMs)})`);
  return ms;
}

/**
 * The request `POST /loki/api/v1/delete?query=&start=&end=&max_interval=` asks for. Throws
 * FjordError('bad_request') with Loki's message for the first bad parameter.
 */
export function newDeleteRequest(params: URLSearchParams, ctx: NewRequestContext): DeleteRequest {
  const query = params.get('query') ?? '';
  if (query === '') throw bad('query not set');
  const selector = ctx.compile(query);
  const startText = params.get('start') ?? '';
  if (startText === '') throw bad('start time not set');
  const startMs = parseDeleteTime(startText, ctx.nowMs);
  if (startMs === null) throw bad('invalid start time: require unix seconds or RFC3339 format');
  const endMs = parseDeleteTime(params.get('end') ?? '', ctx.nowMs);
  if (endMs === null) throw bad('invalid end time: require unix seconds or RFC3339 format');
  if (endMs > ctx.nowMs) throw bad('deletes in the future are not allowed');
  if (startMs >= endMs) throw bad("start time can't be greater than or equal to end time");
  // Only requests with line filters are split: without one, whole chunks are dropped.
  const intervalMs = selector.hasLineFilter ? shardInterval(params, startMs, endMs, ctx.maxIntervalMs) : 0;
  return {
    requestId: newDeleteRequestId(ctx.tenant, query, ctx.nowNs),
    tenant: ctx.tenant,
    query,
    startMs,
    endMs,
    createdAtMs: ctx.nowMs,
    shards: splitDeleteInterval(startMs, endMs, intervalMs),
  };
}

/** True when [startMs, endMs] of a `GET` time filter overlaps the request. */
function overlaps(r: DeleteRequest, startMs: number, endMs: number): boolean {
  return r.startMs <= endMs && r.endMs >= startMs;
}

/**
 * The `GET /loki/api/v1/delete` answer: Loki's JSON of each request (times in seconds, `status`
 * from its processed pieces, `user_id` emptied), oldest first, optionally only those overlapping
 * [startMs, endMs]. A trailing newline, as Go's json.Encoder writes.
 */
export function deleteRequestsJson(states: readonly DeleteRequestState[], range: { startMs: number; endMs: number } | null): string {
  const list = states
    .filter((s) => range === null || overlaps(s.request, range.startMs, range.endMs))
    .sort((a, b) => a.request.createdAtMs - b.request.createdAtMs)
    .map((s) => ({
      request_id: s.request.requestId,
      start_time: s.request.startMs / 1000,
      end_time: s.request.endMs / 1000,
      query: s.request.query,
      status: deleteRequestStatus(s.processed.size, s.request.shards.length),
      created_at: s.request.createdAtMs / 1000,
      user_id: '',
    }));
  return JSON.stringify(list) + '\n';
}

/**
 * Whether `DELETE /loki/api/v1/delete?request_id=&force=` may cancel the request. Throws
 * FjordError('bad_request') with Loki's messages: a processed request never; a partly processed
 * one, or one past `delete_request_cancel_period`, only with `force=true`.
 */
export function checkCancel(state: DeleteRequestState, nowMs: number, cancelPeriodMs: number, force: boolean): void {
  const processed = state.processed.size;
  if (processed >= state.request.shards.length) throw bad('deletion of request which is in process or already processed is not allowed');
  if ((processed > 0 || state.request.createdAtMs + cancelPeriodMs < nowMs) && !force) {
    throw bad(`Cancellation of partially completed delete request or delete request past the deadline of ${formatMs(cancelPeriodMs)} since its creation is not allowed. To force, use the ?force query parameter`);
  }
}
