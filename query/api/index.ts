/** Loki's HTTP query API: parameters, response shapes, handlers, routes and the live tail. */
export { registerQueryRoutes, queryTenants, ERR_CLIENT_CANCELED, ERR_DEADLINE_EXCEEDED, type QueryRouteDeps, type QueryRoutes } from './routes.js';
export type { ApiRequest, ApiResponse, HandlerDeps, TenantLimitsLookup } from './api-request.js';
export { queryTimeoutMs, smallestPositiveNonZero } from './query-limits.js';
export { FLAG_CATEGORIZE_LABELS } from './responses.js';
