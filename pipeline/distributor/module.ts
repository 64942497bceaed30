/** The distributor module: the service plus its push routes. */
import type { Codec } from '../../schemas/index.js';
import type { ModuleFactory } from '../../platform/index.js';
import { registerPushRoutes } from '../push/routes.js';
import { Distributor } from './distributor.js';
import { distributorMetrics } from './metrics.js';

/** Build the distributor module; `zstd` decodes OTLP bodies sent with `Content-Encoding: zstd`. */
export function distributorModule(zstd: Codec): ModuleFactory {
  return (ctx) => {
    const cfg = ctx.config;
    const distributor = new Distributor(
      {
        distributor: cfg.distributor,
        writeTimeoutMs: cfg.kafka_config.write_timeout,
        streamActiveMs: cfg.ingester.chunk_idle_period,
      },
      ctx.partitionLog(),
      ctx.runtimeConfig(),
      distributorMetrics(ctx.registry),
      ctx.logger.child({ component: 'distributor' }),
      ctx.clock,
    );
    registerPushRoutes(ctx.server.app, {
      distributor,
      limits: ctx.runtimeConfig(),
      authEnabled: cfg.auth_enabled,
      cfg: cfg.distributor,
      zstd: (data) => zstd.decompress(data),
      clock: ctx.clock,
    });
    return distributor;
  };
}
