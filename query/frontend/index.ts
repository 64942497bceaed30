/** The query frontend: split, queue, retry, cache, merge; the querier pull protocol; the module. */
export { QueryFrontend, type FrontendLimits, type FrontendOptions } from './frontend.js';
export { PieceScheduler, type FrontendJob, type PieceOutcome } from './scheduler.js';
export { frontendMetrics, type FrontendMetrics } from './metrics.js';
export { QuerierWorker, registerFrontendWorkerRoutes, PULL_PATH, RESULT_PATH, type QuerierWorkerOptions } from './remote.js';
export { InMemoryResultsCache, type ResultsCache } from './results-cache.js';
export { buildQueryFrontend, frontendOptions, queryFrontendModule, querierWorkerService, type QueryFrontendModuleDeps } from './module.js';
