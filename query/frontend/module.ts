/**
 * The query-frontend module: a QueryFrontend over the in-process querier (targets `all`, `read`)
 * or over remote queriers only (target `query-frontend`), Loki's query API routes on top of it,
 * and the pull routes remote queriers use. The querier module, built elsewhere, is handed in as a
 * function so this module does not depend on how it is made.
 */
import type { FjordConfig } from '../../schemas/config/index.js';
import type { Logger, ModuleContext, ModuleFactory, Service } from '../../platform/index.js';
import { registerQueryRoutes } from '../api/index.js';
import type { ReadYourWrites } from '../api/read-your-writes.js';
import type { QueryBackend } from '../engine/query-backend.js';
import { QueryFrontend, type FrontendLimits } from './frontend.js';
import { frontendMetrics } from './metrics.js';
import { QuerierWorker, registerFrontendWorkerRoutes } from './remote.js';

/** What the module needs from the composition root. */
export interface QueryFrontendModuleDeps {
  /**
   * The in-process querier, or null when this process runs none. Called when the frontend
   * starts (after every module is built), so the querier module may come later in the target.
   */
  readonly localQuerier: (ctx: ModuleContext) => QueryBackend | null;
  /** Fjord's buildinfo version, reported by drilldown-limits. */
  readonly version: string;
  /**
   * The tenants' delete request generation for results cache keys (with
   * `query_range.cache_results`); absent, cached results ignore deletes.
   */
  readonly cacheGeneration?: (ctx: ModuleContext) => (tenants: readonly string[], signal: AbortSignal) => Promise<string>;
  /** Read-your-writes for the API routes. */
  readonly readYourWrites?: (ctx: ModuleContext) => ReadYourWrites;
}

/** The frontend's options from the config tree. */
export function frontendOptions(cfg: FjordConfig) {
  return {
    maxOutstandingPerTenant: cfg.frontend.max_outstanding_per_tenant,
    logQueriesLongerThanMs: cfg.frontend.log_queries_longer_than,
    maxRetries: cfg.query_range.max_retries,
    cacheResults: cfg.query_range.cache_results,
    shardQueries: cfg.query_range.parallelise_shardable_queries,
    resultsCacheBytes: cfg.query_range.results_cache_size,
    localWorkers: cfg.querier.max_concurrent,
  };
}

/**
 * Build the query frontend and register its routes on `app` (the API and the pull protocol).
 * The returned service starts the frontend's workers; stopping it closes live tails, then the
 * frontend (queued pieces fail with 503).
 */
export function buildQueryFrontend(
  cfg: FjordConfig,
  app: ModuleContext['server']['app'],
  limits: FrontendLimits,
  local: QueryBackend | null | (() => QueryBackend | null),
  metrics: ReturnType<typeof frontendMetrics>,
  logger: Logger,
  version: string,
  cacheGeneration: ((tenants: readonly string[], signal: AbortSignal) => Promise<string>) | null = null,
  readYourWrites?: ReadYourWrites,
): { frontend: QueryFrontend; service: Service } {
  const frontend = new QueryFrontend(frontendOptions(cfg), limits, local, metrics, logger, Date.now, undefined, cacheGeneration);
  const routes = registerQueryRoutes(app, {
    backend: frontend,
    limits,
    authEnabled: cfg.auth_enabled,
    multiTenantQueries: cfg.querier.multi_tenant_queries_enabled,
    tailMaxDurationMs: cfg.querier.tail_max_duration,
    logger,
    version,
    ...(readYourWrites ? { readYourWrites } : {}),
    viaFrontend: true,
    patternsEnabled: cfg.pattern_ingester.enabled,
  });
  registerFrontendWorkerRoutes(app, frontend.scheduler);
  const service: Service = {
    name: 'query-frontend',
    start: (signal) => frontend.start(signal),
    stop: async () => {
      routes.closeTails();
      await frontend.stop();
    },
  };
  return { frontend, service };
}

/** The query-frontend module factory. */
export function queryFrontendModule(deps: QueryFrontendModuleDeps): ModuleFactory {
  return (ctx) => {
    const logger = ctx.logger.child({ component: 'query-frontend' });
    const generation = ctx.config.query_range.cache_results && deps.cacheGeneration ? deps.cacheGeneration(ctx) : null;
    return buildQueryFrontend(ctx.config, ctx.server.app, ctx.runtimeConfig(), () => deps.localQuerier(ctx), frontendMetrics(ctx.registry), logger, deps.version, generation, deps.readYourWrites?.(ctx)).service;
  };
}

/**
 * The service a querier process runs to pull pieces from `frontend_worker.frontend_address`;
 * null when no address is configured (the querier then serves the API itself, or runs inside
 * the frontend's process).
 */
export function querierWorkerService(cfg: FjordConfig, backend: QueryBackend, logger: Logger): Service | null {
  if (cfg.frontend_worker.frontend_address === '') return null;
  return new QuerierWorker({ frontendAddress: cfg.frontend_worker.frontend_address, concurrency: cfg.querier.max_concurrent }, backend, logger.child({ component: 'querier-worker' }));
}
