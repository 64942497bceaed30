/**
 * The status routes every target serves: `GET /status/api/process` (this process's own report)
 * and `GET /status/api` (the cluster as this process sees it; shape in cluster-status-view.ts).
 */
import type { FastifyInstance } from 'fastify';
import { gatherClusterStatus, type ClusterStatusDeps } from './cluster-status.js';
import { withDeadline } from '../deadline.js';
import type { ProcessReport } from './process-status.js';

/** How long gathering the cluster status may take. */
const GATHER_TIMEOUT_MS = 10_000;

/** Register the status routes on `app`. */
export function registerStatusRoutes(app: FastifyInstance, deps: ClusterStatusDeps & { readonly self: () => ProcessReport }): void {
  app.get('/status/api/process', async () => deps.self());
  app.get('/status/api', async (req, reply) => {
    const abort = new AbortController();
    const onClose = () => abort.abort();
    req.raw.on('close', onClose);
    try {
      const status = await withDeadline(abort.signal, GATHER_TIMEOUT_MS, (bounded) => gatherClusterStatus(deps, bounded));
      return reply.header('cache-control', 'no-store').send(status);
    } finally {
      req.raw.off('close', onClose);
    }
  });
}
