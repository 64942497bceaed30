/**
 * A Fjord HTTP server with the query API over a fake backend, directly or through a query
 * frontend with in-process workers — the same wiring the query-frontend module does.
 */
import { Registry } from 'prom-client';
import type { FjordConfig, LimitsConfig } from '../../schemas/config/index.js';
import { HttpServer, silentLogger } from '../../platform/index.js';
import { registerQueryRoutes } from '../../query/api/index.js';
import type { QueryBackend } from '../../query/engine/query-backend.js';
import { QueryFrontend, frontendMetrics, frontendOptions, registerFrontendWorkerRoutes } from '../../query/frontend/index.js';
import { testConfig } from './config.js';

/** A started (not listening) server with the query routes. */
export interface QueryApi {
  readonly server: HttpServer;
  readonly frontend: QueryFrontend | null;
  close(): Promise<void>;
}

/** Build the server; `viaFrontend` puts a QueryFrontend (with local workers) between routes and `backend`. */
export async function startQueryApi(opts: {
  backend: QueryBackend;
  viaFrontend?: boolean;
  config?: Record<string, unknown>;
  limits?: (tenant: string) => LimitsConfig;
  nowNs?: bigint;
  listen?: boolean;
}): Promise<QueryApi> {
  const cfg: FjordConfig = testConfig({ auth_enabled: false, server: { http_listen_port: 0, http_listen_address: '127.0.0.1' }, ...(opts.config ?? {}) });
  const limits = { forTenant: opts.limits ?? (() => cfg.limits_config) };
  const server = new HttpServer(cfg.server, silentLogger(), new Registry());
  let frontend: QueryFrontend | null = null;
  let backend = opts.backend;
  if (opts.viaFrontend) {
    frontend = new QueryFrontend(frontendOptions(cfg), limits, opts.backend, frontendMetrics(new Registry()), silentLogger());
    await frontend.start();
    registerFrontendWorkerRoutes(server.app, frontend.scheduler);
    backend = frontend;
  }
  const fixedNow = opts.nowNs;
  const routes = registerQueryRoutes(server.app, {
    backend,
    limits,
    authEnabled: cfg.auth_enabled,
    multiTenantQueries: cfg.querier.multi_tenant_queries_enabled,
    tailMaxDurationMs: cfg.querier.tail_max_duration,
    logger: silentLogger(),
    version: '3.5.0+fjord.test',
    ...(fixedNow !== undefined ? { nowNs: () => fixedNow } : {}),
  });
  if (opts.listen) await server.start();
  else await server.app.ready();
  return {
    server,
    frontend,
    close: async () => {
      routes.closeTails();
      await frontend?.stop();
      await server.stop();
    },
  };
}
