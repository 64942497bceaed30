/** Routes every target serves: /ready, /metrics, /config, /services and Loki's buildinfo. */
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { stringify } from 'yaml';
import { printableConfig, type FjordConfig } from '../../schemas/config/index.js';
import type { BuildInfo } from './build-info.js';
import type { ServiceManager } from './service.js';

/** What the admin routes read. */
export interface AdminDeps {
  readonly config: FjordConfig;
  readonly registry: Registry;
  readonly build: BuildInfo;
  readonly services: () => ServiceManager | null;
}

/** Register the admin routes on `app`. */
export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/ready', async (_req, reply) => {
    const manager = deps.services();
    const reason = manager ? manager.notReadyReason() : 'starting';
    if (reason === null) return reply.type('text/plain; charset=utf-8').send('ready\n');
    return reply.code(503).type('text/plain; charset=utf-8').send(`Not ready: ${reason}\n`);
  });

  app.get('/metrics', async (_req, reply) => {
    const body = await deps.registry.metrics();
    return reply.type(deps.registry.contentType).send(body);
  });

  app.get('/config', async (_req, reply) => {
    return reply.type('text/plain; charset=utf-8').send(stringify(printableConfig(deps.config)));
  });

  app.get('/services', async (_req, reply) => {
    const lines = (deps.services()?.list() ?? []).map((s) => `${s.name} => ${s.state}`);
    return reply.type('text/plain; charset=utf-8').send(lines.join('\n') + '\n');
  });

  for (const path of ['/loki/api/v1/status/buildinfo', '/api/v1/status/buildinfo']) {
    app.get(path, async () => deps.build);
  }
}
