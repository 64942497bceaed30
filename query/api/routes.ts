/**
 * Registers Loki's HTTP query API on a fastify app, over any QueryBackend (the query frontend, or
 * a querier running alone). GET and POST (`application/x-www-form-urlencoded`) take the same
 * parameters. Each request gets its tenants from `X-Scope-OrgID`, an AbortSignal that fires when
 * the client goes away (499) or at the tenant's `query_timeout` (504), and Loki's plain-text
 * errors. The live tail is served on the server's `upgrade` event.
 */
import { setMaxListeners } from 'node:events';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FjordError } from '../../schemas/index.js';
import { resolveTenants } from '../../schemas/labels/index.js';
import { WRITE_POSITION_HEADER } from '../../schemas/record/index.js';
import type { Logger } from '../../platform/index.js';
import type { QueryBackend } from '../engine/query-backend.js';
import type { ApiRequest, ApiResponse, HandlerDeps, TenantLimitsLookup } from './api-request.js';
import {
  handleDetectedFields, handleDetectedLabels, handleDrilldownLimits, handleFormatQuery, handleIndexStats, handleLabelValues, handleLabels,
  handleLegacyLabelValues, handleLegacyLabels, handlePatterns, handleSeries, handleVolume,
} from './metadata-handlers.js';
import { formFromStrings } from './params.js';
import { queryTimeoutMs } from './query-limits.js';
import { WRITE_POSITION_TIMEOUT_HEADER, requestedPosition, type ReadYourWrites } from './read-your-writes.js';
import { handleInstantQuery, handleLegacyQuery, handleRangeQuery } from './query-handlers.js';
import { parseEncodingFlags } from './responses.js';
import { isLogsDrilldownRequest } from './query-tags.js';
import { TAIL_PATHS, handleTailUpgrade } from './tail.js';

/** Loki's ErrDeadlineExceeded text (`L:pkg/util/server/error.go`). */
export const ERR_DEADLINE_EXCEEDED = 'request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed';
/** Loki's ErrClientCanceled text. */
export const ERR_CLIENT_CANCELED = 'the request was cancelled by the client';

/** What the query routes need. */
export interface QueryRouteDeps {
  readonly backend: QueryBackend;
  readonly limits: TenantLimitsLookup;
  readonly authEnabled: boolean;
  /** `querier.multi_tenant_queries_enabled`. */
  readonly multiTenantQueries: boolean;
  /** `querier.tail_max_duration`, ms. */
  readonly tailMaxDurationMs: number;
  readonly logger: Logger;
  /** Fjord's buildinfo version (reported by drilldown-limits). */
  readonly version: string;
  /** The clock, in ns since the epoch; defaults to the system clock. */
  readonly nowNs?: () => bigint;
  /** Read-your-writes (`X-Fjord-Write-Position` on queries, `/fjord/api/v1/freshness`); absent, the header is ignored. */
  readonly readYourWrites?: ReadYourWrites;
  /** `pattern_ingester.enabled`. */
  readonly patternsEnabled?: boolean;
  /** The routes are the query frontend's (answers are written as Loki's frontend writes them). */
  readonly viaFrontend?: boolean;
}

type Handler = (req: ApiRequest, deps: HandlerDeps) => Promise<ApiResponse>;

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The tenants of a request: several only when multi-tenant queries are enabled. */
export function queryTenants(headerValue: string | undefined, authEnabled: boolean, multiTenant: boolean): string[] {
  const tenants = resolveTenants(headerValue, authEnabled);
  if (tenants.length > 1 && !multiTenant) throw new FjordError('bad_request', 'multiple org IDs present');
  return tenants;
}

/** Handle on the registered routes. */
export interface QueryRoutes {
  /**
   * Close every live tail (1001 going away). Call it before the server stops: an upgraded
   * socket keeps the HTTP server's close waiting.
   */
  closeTails(): void;
}

/** Register the query API routes on `app`, and the tail on its server's `upgrade` event. */
export function registerQueryRoutes(app: FastifyInstance, deps: QueryRouteDeps): QueryRoutes {
  const nowNs = deps.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
  const handlerDeps: HandlerDeps = { backend: deps.backend, version: deps.version, viaFrontend: deps.viaFrontend ?? false, patternsEnabled: deps.patternsEnabled ?? false };

  const run = (handler: Handler) => async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const tenants = queryTenants(header(req, 'x-scope-orgid'), deps.authEnabled, deps.multiTenantQueries);
    const limits = tenants.map((t) => deps.limits.forTenant(t));
    const controller = new AbortController();
    // One query fans out into many pieces, each listening for the abort.
    setMaxListeners(0, controller.signal);
    const timeoutMs = queryTimeoutMs(limits);
    const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(new FjordError('query_timeout', ERR_DEADLINE_EXCEEDED)), timeoutMs) : null;
    const onClose = (): void => {
      if (!reply.raw.writableFinished) controller.abort(new FjordError('client_closed', ERR_CLIENT_CANCELED));
    };
    reply.raw.on('close', onClose);
    try {
      const wanted = deps.readYourWrites ? requestedPosition(header(req, WRITE_POSITION_HEADER), header(req, WRITE_POSITION_TIMEOUT_HEADER)) : null;
      if (wanted !== null) await deps.readYourWrites?.waitFor(wanted.position, wanted.timeoutMs, controller.signal);
      const rawUrl = req.raw.url ?? '/';
      const q = rawUrl.indexOf('?');
      const body = typeof req.body === 'string' && (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? req.body : null;
      const apiReq: ApiRequest = {
        form: formFromStrings(q >= 0 ? rawUrl.slice(q + 1) : '', body),
        params: (req.params ?? {}) as Record<string, string>,
        tenants,
        limits,
        signal: controller.signal,
        nowNs: nowNs(),
        encodingFlags: parseEncodingFlags(header(req, 'x-loki-response-encoding-flags')),
        drilldown: isLogsDrilldownRequest(header(req, 'x-query-tags')),
      };
      const res = await handler(apiReq, handlerDeps);
      return reply.code(res.status).type(res.contentType).send(res.body);
    } finally {
      if (timer !== null) clearTimeout(timer);
      reply.raw.off('close', onClose);
    }
  };

  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const route = (path: string, handler: Handler): void => {
      scope.get(path, run(handler));
      scope.post(path, run(handler));
    };
    route('/loki/api/v1/query_range', handleRangeQuery);
    route('/loki/api/v1/query', handleInstantQuery);
    route('/loki/api/v1/labels', handleLabels);
    route('/loki/api/v1/label', handleLabels);
    route('/loki/api/v1/label/:name/values', handleLabelValues);
    route('/loki/api/v1/series', handleSeries);
    route('/loki/api/v1/index/stats', handleIndexStats);
    route('/loki/api/v1/index/volume', (r, d) => handleVolume(r, d, false));
    route('/loki/api/v1/index/volume_range', (r, d) => handleVolume(r, d, true));
    route('/loki/api/v1/detected_labels', handleDetectedLabels);
    route('/loki/api/v1/detected_fields', (r, d) => handleDetectedFields(r, d, false));
    route('/loki/api/v1/detected_field/:name/values', (r, d) => handleDetectedFields(r, d, true));
    route('/loki/api/v1/patterns', handlePatterns);
    route('/loki/api/v1/format_query', handleFormatQuery);
    route('/api/prom/query', handleLegacyQuery);
    route('/api/prom/label', handleLegacyLabels);
    route('/api/prom/label/:name/values', handleLegacyLabelValues);
    route('/api/prom/series', handleSeries);
    scope.get('/loki/api/v1/drilldown-limits', async (req, reply) => {
      let tenants: string[];
      try {
        tenants = resolveTenants(header(req, 'x-scope-orgid'), deps.authEnabled);
        if (tenants.length !== 1) throw new FjordError('no_org_id', 'multiple org IDs present');
      } catch (err) {
        return reply.code(401).type('text/plain; charset=utf-8').send(`${(err as Error).message}\n`);
      }
      return run(handleDrilldownLimits)(req, reply);
    });
    const ryw = deps.readYourWrites;
    if (ryw) {
      scope.get('/fjord/api/v1/freshness', async (req, reply) => {
        const [tenant] = queryTenants(header(req, 'x-scope-orgid'), deps.authEnabled, false);
        const abort = new AbortController();
        const onClose = () => abort.abort();
        req.raw.on('close', onClose);
        try {
          return reply.header('cache-control', 'no-store').send(await ryw.freshness(tenant ?? '', abort.signal));
        } finally {
          req.raw.off('close', onClose);
        }
      });
    }
    for (const path of Object.keys(TAIL_PATHS)) {
      scope.get(path, async (_req, reply) =>
        reply.code(400).type('text/plain; charset=utf-8').send("Bad Request\nwebsocket: the client is not using the websocket protocol: 'upgrade' token not found in 'Connection' header\n"),
      );
    }
  });

  const activeTails = new Set<() => void>();
  app.server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const legacy = TAIL_PATHS[path];
    if (legacy === undefined) return;
    handleTailUpgrade(req, socket, head, legacy, {
      backend: deps.backend,
      tenantsOf: (h) => queryTenants(h, deps.authEnabled, deps.multiTenantQueries),
      tailMaxDurationMs: deps.tailMaxDurationMs,
      nowNs,
      logger: deps.logger,
      active: activeTails,
    });
  });
  return {
    closeTails: () => {
      for (const close of [...activeTails]) close();
    },
  };
}
