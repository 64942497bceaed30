/**
 * A running Fjord process: the target's modules built from their factories, the admin routes, and
 * the lifecycle (start in order; stop in reverse on `stop()`, bounded by graceful_shutdown_timeout).
 */
import type { FjordConfig } from '../../schemas/config/index.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerBrowserUi, servesQueries } from './browser-ui.js';
import type { BuildInfo } from './build-info.js';
import type { Logger } from '../logger.js';
import { createRegistry } from './metrics.js';
import { ModuleContext, type ModuleFactories } from './modules.js';
import { HttpServer } from './server.js';
import { ServiceManager, type Service } from './service.js';
import { registerStatusRoutes } from './status-routes.js';
import { modulesFor } from './targets.js';

/** The services of one process and their manager. */
export class FjordProcess {
  readonly context: ModuleContext;
  readonly manager: ServiceManager;

  constructor(
    readonly config: FjordConfig,
    factories: ModuleFactories,
    build: BuildInfo,
    private readonly logger: Logger,
  ) {
    const registry = createRegistry(build);
    const server = new HttpServer(config.server, logger.child({ component: 'server' }), registry);
    this.context = new ModuleContext(config, logger, registry, server);
    if (config.ui.enabled) registerBrowserUi(server.app, { explorer: servesQueries(config) });
    const services: Service[] = [];
    for (const name of modulesFor(config.target)) {
      const factory = factories[name];
      if (factory) services.push(factory(this.context));
    }
    this.manager = new ServiceManager(services, logger);
    registerAdminRoutes(server.app, { config, registry, build, services: () => this.manager });
    const ctx = this.context;
    const modules = modulesFor(config.target);
    registerStatusRoutes(server.app, {
      log: modules.includes('partition-log') ? ctx.partitionLog() : null,
      store: modules.includes('object-store') ? ctx.objectStore() : null,
      groupPrefix: config.kafka_config.consumer_group,
      now: () => ctx.clock.now(),
      self: () => {
        const reason = this.manager.notReadyReason();
        return {
          address: ctx.address(), target: config.target, version: build.version, ready: reason === null, not_ready_reason: reason,
          modules: this.manager.list(), ...ctx.status.read(),
        };
      },
    });
  }

  /** Start every module; resolves when all run (or the process was stopped while starting). */
  async start(): Promise<void> {
    this.logger.info({ target: this.config.target, modules: this.manager.list().map((s) => s.name) }, 'starting Fjord');
    await this.manager.startAll();
  }

  /** Stop every module in reverse order; false when that took longer than graceful_shutdown_timeout. */
  async stop(): Promise<boolean> {
    const timeout = this.config.server.graceful_shutdown_timeout;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeout)));
    const done = await Promise.race([this.manager.stopAll().then(() => true), expired]);
    clearTimeout(timer);
    return done;
  }
}
