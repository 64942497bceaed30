/**
 * The HTTP server (fastify): one per process, routes added by modules before `start`, listening
 * on `server.http_listen_address:http_listen_port`. Requests are timed in
 * `loki_request_duration_seconds{route}`; errors answered by http-errors.ts.
 */
import fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { FjordConfig } from '../../schemas/config/index.js';
import { errorHandler } from './http-errors.js';
import type { Logger } from '../logger.js';
import { httpMetrics } from './metrics.js';
import type { Service } from './service.js';

/** Loki-style route label: `/loki/api/v1/query_range` → `loki_api_v1_query_range`. */
export function routeLabel(url: string | undefined): string {
  if (!url) return 'other';
  return url.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'root';
}

/** The process's HTTP server as a service. */
export class HttpServer implements Service {
  readonly name = 'server';
  readonly app: FastifyInstance;

  constructor(
    private readonly cfg: FjordConfig['server'],
    private readonly logger: Logger,
    registry: Registry,
  ) {
    this.app = fastify({
      requestTimeout: cfg.http_server_read_timeout,
      return503OnClosing: true,
      forceCloseConnections: 'idle',
      routerOptions: { ignoreTrailingSlash: true },
    });
    this.app.setErrorHandler(errorHandler(logger));
    this.app.setNotFoundHandler((_req, reply) => {
      void reply.code(404).type('text/plain; charset=utf-8').send('404 page not found\n');
    });
    const { requestDuration } = httpMetrics(registry);
    this.app.addHook('onResponse', async (request, reply) => {
      requestDuration.observe(
        { method: request.method, route: routeLabel(request.routeOptions.url), status_code: String(reply.statusCode), ws: 'false' },
        reply.elapsedTime / 1000,
      );
    });
  }

  async start(): Promise<void> {
    const host = this.cfg.http_listen_address || '0.0.0.0';
    await this.app.listen({ host, port: this.cfg.http_listen_port });
    this.logger.info({ address: host, port: this.port() }, 'HTTP server listening');
  }

  async stop(): Promise<void> {
    await this.app.close();
  }

  /** The port actually listened on (useful when configured as 0). */
  port(): number {
    return (this.app.server.address() as AddressInfo | null)?.port ?? this.cfg.http_listen_port;
  }
}
