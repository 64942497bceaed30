/**
 * The compactor module: the control log that carries leadership (`<kafka_config.topic>.control`,
 * one partition, created when missing), the leadership, and the compactor.
 */
import type { CodecSet } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import type { LogSelectorCompiler } from '../../schemas/labels/index.js';
import { DeleteRequestReader, compactorGroup, controlTopic, createPartitionLog, type ModuleFactory } from '../../platform/index.js';
import { Compactor } from './compactor.js';
import { registerDeleteRoutes } from './delete-routes.js';
import { GroupLeadership } from './leader.js';
import { compactorMetrics } from './metrics.js';

/** The config of the control log: the log's settings on the control topic, one partition, always created. */
export function controlLogConfig(cfg: FjordConfig): FjordConfig {
  const k = cfg.kafka_config;
  return {
    ...cfg,
    kafka_config: {
      ...k,
      topic: controlTopic(k.topic),
      auto_create_topic_enabled: true,
      auto_create_topic_default_partitions: 1,
      embedded: { ...k.embedded, partitions: 1 },
    },
  };
}

/** What the compactor module needs from the composition root. */
export interface CompactorModuleDeps {
  readonly codecs: CodecSet;
  /** LogQL's compiler of log selectors (delete queries, `retention_stream` selectors). */
  readonly compileSelector: LogSelectorCompiler;
}

/**
 * Build the compactor module. With `compactor.retention_enabled` it also serves Loki's delete API
 * (delete-routes.ts), as Loki's compactor does only then.
 */
export function compactorModule(deps: CompactorModuleDeps): ModuleFactory {
  return (ctx) => {
    const cfg = ctx.config;
    const logger = ctx.logger.child({ component: 'compactor' });
    const control = createPartitionLog(controlLogConfig(cfg), logger);
    const metrics = compactorMetrics(ctx.registry);
    const reader = new DeleteRequestReader(ctx.objectStore());
    if (cfg.compactor.retention_enabled) {
      registerDeleteRoutes(ctx.server.app, {
        cfg: cfg.compactor, authEnabled: cfg.auth_enabled, limits: ctx.runtimeConfig(), store: ctx.objectStore(), reader,
        compile: deps.compileSelector, metrics, logger,
      });
    }
    let compactor: Compactor | null = null;
    ctx.status.sections.compactor = () => compactor?.statusReport() ?? { leader: false, last_round: null };
    return {
      name: 'compactor',
      async start(signal) {
        await control.start(signal);
        compactor = new Compactor({
          cfg: cfg.compactor,
          limits: ctx.runtimeConfig(),
          store: ctx.objectStore(),
          leadership: new GroupLeadership(control, compactorGroup(cfg.kafka_config.consumer_group), ctx.address(), logger),
          metrics,
          logger,
          compileSelector: deps.compileSelector,
          deleteRequests: reader,
          codecs: deps.codecs,
        });
        await compactor.start();
      },
      async stop() {
        await compactor?.stop();
        await control.stop();
      },
    };
  };
}
