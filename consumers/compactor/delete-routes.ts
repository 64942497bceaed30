/**
 * Loki's delete API on the compactor: `POST|PUT /loki/api/v1/delete` adds a request (204 with
 * `X-Delete-Request-ID`), `GET` lists the tenant's requests, `DELETE` cancels one. Registered, as
 * in Loki, only with `compactor.retention_enabled`; the tenant comes from `X-Scope-OrgID` (401
 * without one when auth is on) and must have a `deletion_mode` other than `disabled` (403).
 * Requests live in the object store, so any compactor, leader or not, serves the API.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FjordError } from '../../schemas/index.js';
import type { FjordConfig, Limits } from '../../schemas/config/index.js';
import { deleteProcessedKey, deleteRequestKey, encodeDeleteRequest } from '../../schemas/index/index.js';
import { resolveWriteTenant, type LogSelectorCompiler } from '../../schemas/labels/index.js';
import type { DeleteRequestReader, Logger, ObjectStore } from '../../platform/index.js';
import { DELETION_NOT_AVAILABLE, checkCancel, deleteRequestsJson, newDeleteRequest, parseDeleteTime } from './delete-api.js';
import type { CompactorMetrics } from './metrics.js';

/** What the delete routes use. */
export interface DeleteRoutesDeps {
  readonly cfg: FjordConfig['compactor'];
  readonly authEnabled: boolean;
  readonly limits: Limits;
  readonly store: ObjectStore;
  readonly reader: DeleteRequestReader;
  readonly compile: LogSelectorCompiler;
  readonly metrics: CompactorMetrics;
  readonly logger: Logger;
}

const PATH = '/loki/api/v1/delete';

function queryParams(req: FastifyRequest): URLSearchParams {
  const url = req.raw.url ?? '';
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

/** Register the delete API on `app`. */
export function registerDeleteRoutes(app: FastifyInstance, deps: DeleteRoutesDeps): void {
  const tenantOf = (req: FastifyRequest): string => {
    const h = req.headers['x-scope-orgid'];
    const tenant = resolveWriteTenant(Array.isArray(h) ? h[0] : h, deps.authEnabled);
    if (deps.limits.forTenant(tenant).deletion_mode === 'disabled') throw new FjordError('forbidden', DELETION_NOT_AVAILABLE);
    return tenant;
  };

  const add = async (req: FastifyRequest, reply: FastifyReply) => {
    const tenant = tenantOf(req);
    const nowMs = Date.now();
    const request = newDeleteRequest(queryParams(req), {
      tenant, nowMs, nowNs: BigInt(nowMs) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n), maxIntervalMs: deps.cfg.delete_max_interval, compile: deps.compile,
    });
    await deps.store.put(deleteRequestKey(tenant, request.requestId), encodeDeleteRequest(request));
    deps.metrics.deleteRequestsReceived.inc({ user: tenant });
    deps.logger.info({ tenant, delete_request_id: request.requestId, query: request.query, pieces: request.shards.length }, 'delete request for user added');
    return reply.code(204).header('X-Delete-Request-ID', request.requestId).send();
  };
  app.post(PATH, add);
  app.put(PATH, add);

  app.get(PATH, async (req, reply) => {
    const tenant = tenantOf(req);
    const params = queryParams(req);
    let range: { startMs: number; endMs: number } | null = null;
    const start = params.get('start') ?? '';
    const end = params.get('end') ?? '';
    if (start !== '' && end !== '') {
      const nowMs = Date.now();
      const startMs = parseDeleteTime(start, nowMs);
      if (startMs === null) throw new FjordError('bad_request', 'invalid start time: require unix seconds or RFC3339 format');
      const endMs = parseDeleteTime(end, nowMs);
      if (endMs === null) throw new FjordError('bad_request', 'invalid end time: require unix seconds or RFC3339 format');
      range = { startMs, endMs };
    }
    const body = deleteRequestsJson(await deps.reader.list(tenant), range);
    return reply.code(200).type('application/json').send(body);
  });

  app.delete(PATH, async (req, reply) => {
    const tenant = tenantOf(req);
    const params = queryParams(req);
    const id = params.get('request_id') ?? '';
    const state = (await deps.reader.list(tenant)).find((s) => s.request.requestId === id);
    if (!state) throw new FjordError('not_found', 'could not find delete request with given id');
    checkCancel(state, Date.now(), deps.cfg.delete_request_cancel_period, params.get('force') === 'true');
    // The body first: with it gone, neither queriers nor the compactor act on the request.
    await deps.store.delete(deleteRequestKey(tenant, id));
    for (const shard of state.processed.keys()) await deps.store.delete(deleteProcessedKey(tenant, id, shard));
    deps.logger.info({ tenant, delete_request_id: id }, 'delete request cancelled');
    return reply.code(204).send();
  });
}
