/**
 * What a query API handler gets and returns, independent of fastify: the request's form, tenants
 * and their limits, the abort signal (client gone or `query_timeout`), the clock reading, the
 * encoding flags; and a status, content type and body. Also the selector parsing the metadata
 * endpoints share (Loki's syntax.ParseMatchers).
 */
import { FjordError } from '../../schemas/index.js';
import type { LimitsConfig } from '../../schemas/config/index.js';
import type { QueryBackend } from '../engine/query-backend.js';
import { compileMatcher, parseExpr, parseLogSelectorWithoutValidation, type CompiledMatcher } from '../logql/index.js';
import type { RequestForm } from './params.js';

/** Per-tenant limits (RuntimeConfig implements it). */
export interface TenantLimitsLookup {
  forTenant(tenant: string): LimitsConfig;
}

/** One API request, as handlers see it. */
export interface ApiRequest {
  readonly form: RequestForm;
  /** Path parameters (`name` of label values and detected field values). */
  readonly params: Readonly<Record<string, string>>;
  readonly tenants: readonly string[];
  /** The limits of each tenant, in `tenants` order. */
  readonly limits: readonly LimitsConfig[];
  /** Aborted when the client goes away (reason: client_closed) or at query_timeout (query_timeout). */
  readonly signal: AbortSignal;
  readonly nowNs: bigint;
  readonly encodingFlags: ReadonlySet<string>;
  /** The request comes from Logs Drilldown (`X-Query-Tags: Source=grafana-lokiexplore-app`). */
  readonly drilldown: boolean;
}

/** A handler's answer. */
export interface ApiResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** What every handler may use. */
export interface HandlerDeps {
  readonly backend: QueryBackend;
  /** Fjord's version, as buildinfo reports it (drilldown-limits). */
  readonly version: string;
  /** The query frontend serves these routes. */
  readonly viaFrontend: boolean;
  /** `pattern_ingester.enabled`: patterns are answered (else 404, as Loki without a pattern querier). */
  readonly patternsEnabled: boolean;
}

/** A 200 JSON answer. */
export function json(body: string, status = 200): ApiResponse {
  return { status, contentType: 'application/json; charset=utf-8', body };
}

/**
 * Await `p`, but reject with the signal's reason as soon as it aborts (a backend that does not
 * watch its signal cannot hold a request past its timeout).
 */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? (signal.reason as Error) : err);
      },
    );
  });
}

/** Loki's logqlmodel.ErrParseMatchers. */
export const ERR_PARSE_MATCHERS = 'only label matchers are supported';

/** Loki's syntax.ParseMatchers(query, true): a bare stream selector, validated. */
export function parseSelector(query: string): CompiledMatcher[] {
  const expr = parseExpr(query);
  if (expr.kind !== 'logSelector' || expr.stages.length > 0) throw new FjordError('bad_request', ERR_PARSE_MATCHERS);
  return expr.matchers.map(compileMatcher);
}

/**
 * Loki's syntax.ParseMatchers(query, false), as series requests use it: like parseSelector but
 * `{app=~".*"}` (no matcher that excludes the empty value) is allowed.
 */
export function parseSelectorUnvalidated(query: string): CompiledMatcher[] {
  const expr = parseLogSelectorWithoutValidation(query);
  if (expr === null || expr.stages.length > 0) throw new FjordError('bad_request', ERR_PARSE_MATCHERS);
  return expr.matchers.map(compileMatcher);
}

/** The matchers of an optional `query` parameter: none when empty. */
export function optionalSelector(query: string): CompiledMatcher[][] {
  return query === '' ? [] : [parseSelector(query)];
}
