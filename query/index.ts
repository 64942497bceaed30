export { buildQuerier, deleteFilter, writePositionGate, type QuerierParts } from './querier/module.js';
export { registerQueryRoutes } from './api/index.js';
export type { QueryBackend } from './engine/query-backend.js';
export type { ReadYourWrites } from './api/read-your-writes.js';
export { queryFrontendModule, querierWorkerService } from './frontend/index.js';
export { compileLogSelector } from './logql/index.js';
export { rulerModule } from './ruler/index.js';
