/**
 * Error → HTTP status, decided once for every route. Bodies are plain text, as Loki's. Unknown
 * errors are a 500 with a generic message; their stack goes to the log, never to the user.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, FjordError, errorMessage } from '../../schemas/index.js';
import type { Logger } from '../logger.js';

const STATUS: Record<ErrorCode, number> = {
  invalid_config: 500,
  invalid_argument: 400,
  bad_request: 400,
  missing_streams: 422,
  server_overloaded: 503,
  no_org_id: 401,
  not_found: 404,
  forbidden: 403,
  request_too_large: 413,
  too_many_outstanding_requests: 429,
  query_timeout: 504,
  write_position_not_reached: 503,
  client_closed: 499,
  line_too_long: 400,
  label_name_too_long: 400,
  label_value_too_long: 400,
  max_label_names_per_series: 400,
  duplicate_label_names: 400,
  missing_labels: 400,
  invalid_labels: 400,
  greater_than_max_sample_age: 400,
  too_far_in_future: 400,
  too_far_behind: 400,
  rate_limited: 429,
  per_stream_rate_limit: 429,
  stream_limit: 429,
  disallowed_structured_metadata: 400,
  structured_metadata_too_large: 400,
  structured_metadata_too_many: 400,
  log_unavailable: 503,
  log_record_too_large: 400,
  log_offset_out_of_range: 400,
  log_corrupt: 500,
  log_closed: 503,
  object_not_found: 404,
  object_store_unavailable: 503,
  invalid_object_key: 400,
  rule_store_read_only: 500,
  chunk_corrupt: 500,
  index_corrupt: 500,
  internal: 500,
  aborted: 499,
};

/** The HTTP status for an error code. */
export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** Status and plain-text body for any thrown value. */
export function describeError(err: unknown): { status: number; body: string; unexpected: boolean } {
  if (err instanceof FjordError) return { status: STATUS[err.code], body: err.message, unexpected: err.code === 'internal' };
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: fe.statusCode === 413 ? 'request body too large' : errorMessage(err), unexpected: false };
  }
  return { status: 500, body: 'internal server error', unexpected: true };
}

/** Loki's routes that answer errors through Go's `http.Error` though they sit under a query API prefix. */
const HTTP_ERROR_ROUTES = /^\/(loki\/api\/v1\/(delete|cache|rules)|api\/prom\/rules)(\/|$)/;

/**
 * Whether Loki's answer to this error ends with a newline. Loki's query API writes errors with
 * `serverutil.WriteError` (the message alone, so logcli prints it on one line); its other handlers
 * (delete, rules, admin) and dskit's tenant middleware use Go's `http.Error`, which adds `\n`.
 */
export function endsWithNewline(url: string, err: unknown): boolean {
  if (err instanceof FjordError && err.code === 'no_org_id') return true;
  const path = url.split('?')[0] ?? '';
  return !/^\/(loki\/api\/v1|api\/prom)\//.test(path) || HTTP_ERROR_ROUTES.test(path);
}

/** The fastify error handler: plain-text bodies, stacks only in the log. */
export function errorHandler(logger: Logger) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body, unexpected } = describeError(err);
    if (unexpected) logger.error({ err, route: request.routeOptions.url, method: request.method }, 'request failed');
    const eol = endsWithNewline(request.url, err) ? '\n' : '';
    void reply.code(status).type('text/plain; charset=utf-8').send(body + eol);
  };
}
