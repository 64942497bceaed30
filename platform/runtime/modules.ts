/**
 * How modules are built: each module is a factory from a shared context to a Service. The context
 * holds what several modules share (the config, the logger, the metrics registry, the HTTP server,
 * the clock, the partitioned log and the object store), each created once, on first use.
 */
import type { Registry } from 'prom-client';
import type { FjordConfig } from '../../schemas/config/index.js';
import { createPartitionLog, type PartitionLog } from '../log/index.js';
import { createObjectStore, type ObjectStore } from '../store/index.js';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { ProcessStatusBoard } from './process-status.js';
import { RuntimeConfig } from './runtime-config.js';
import type { HttpServer } from './server.js';
import type { Service } from './service.js';
import type { ModuleName } from './targets.js';

/** What a module factory gets. */
export class ModuleContext {
  private log: PartitionLog | null = null;
  private store: ObjectStore | null = null;
  private runtime: RuntimeConfig | null = null;
  private stopRequest: (() => void) | null = null;
  /** Where modules put their sections of this process's status report. */
  readonly status = new ProcessStatusBoard();
  /** Resolves when a module asks the process to stop (e.g. `POST /ingester/shutdown`). */
  readonly stopRequested = new Promise<void>((resolve) => (this.stopRequest = resolve));

  constructor(
    readonly config: FjordConfig,
    readonly logger: Logger,
    readonly registry: Registry,
    readonly server: HttpServer,
    /** Where components read the time. */
    readonly clock: Clock = systemClock,
  ) {}

  /** The HTTP address other processes reach this one at (`http://<instance_addr>:<port>`). */
  address(): string {
    return `http://${this.config.common.instance_addr || '127.0.0.1'}:${this.server.port()}`;
  }

  /** Ask the process to stop, as SIGTERM would. */
  requestStop(): void {
    this.stopRequest?.();
  }

  /** The process's partitioned log (started by the partition-log module). */
  partitionLog(): PartitionLog {
    this.log ??= createPartitionLog(this.config, this.logger, this.registry);
    return this.log;
  }

  /** Per-tenant limits with runtime overrides (started by the runtime-config module). */
  runtimeConfig(): RuntimeConfig {
    this.runtime ??= new RuntimeConfig(this.config.runtime_config, this.config.limits_config, this.logger.child({ component: 'runtime-config' }));
    return this.runtime;
  }

  /** The process's object store (started by the object-store module). */
  objectStore(): ObjectStore {
    this.store ??= createObjectStore(this.config, this.logger, this.registry);
    return this.store;
  }
}

/** Builds one module's service. */
export type ModuleFactory = (ctx: ModuleContext) => Service;

/** Factories by module name; the composition root supplies those of distributor, ingester, querier, … */
export type ModuleFactories = Readonly<Partial<Record<ModuleName, ModuleFactory>>>;

/** The modules every process can run, built from pipeline/ alone. */
export const baseModules: ModuleFactories = {
  server: (ctx) => ctx.server,
  'runtime-config': (ctx) => ctx.runtimeConfig(),
  'partition-log': (ctx) => {
    const log = ctx.partitionLog();
    return { name: 'partition-log', start: (signal) => log.start(signal), stop: () => log.stop() };
  },
  'object-store': (ctx) => {
    const store = ctx.objectStore();
    return { name: 'object-store', start: (signal) => store.start(signal), stop: () => store.stop() };
  },
};
