/**
 * Services and the manager that runs a target's services: started in order, stopped in reverse,
 * each stop awaited. A service's `start` may retry inside until `signal` aborts (a broker that is
 * down at start-up keeps `/ready` at 503 rather than crashing the process).
 */
import { errorMessage } from '../../schemas/index.js';
import type { Logger } from '../logger.js';

/** A component with a lifecycle. The constructor only stores; `start` acquires; `stop` releases. */
export interface Service {
  readonly name: string;
  /** Acquire resources and begin work; resolves once the service is running. */
  start(signal: AbortSignal): Promise<void>;
  /** Release what `start` took, draining in-flight work; idempotent. */
  stop(): Promise<void>;
  /** Null when ready to serve; otherwise why not (e.g. still replaying a partition). */
  notReadyReason?(): string | null;
}

/** dskit's service states, as `/services` prints them. */
export type ServiceState = 'New' | 'Starting' | 'Running' | 'Stopping' | 'Terminated' | 'Failed';

/** Runs a list of services in order and tracks their states. */
export class ServiceManager {
  private readonly states = new Map<string, ServiceState>();
  private readonly abort = new AbortController();
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly services: readonly Service[],
    private readonly logger: Logger,
  ) {
    for (const s of services) this.states.set(s.name, 'New');
  }

  /** Start every service in order; a failure stops those already started and rethrows. */
  async startAll(): Promise<void> {
    for (const s of this.services) {
      if (this.abort.signal.aborted) return;
      this.states.set(s.name, 'Starting');
      const t0 = Date.now();
      try {
        await s.start(this.abort.signal);
      } catch (err) {
        if (this.abort.signal.aborted) {
          this.states.set(s.name, 'Terminated');
          return;
        }
        this.states.set(s.name, 'Failed');
        this.logger.error({ service: s.name, err }, `service ${s.name} failed to start: ${errorMessage(err)}`);
        await this.stopAll();
        throw err;
      }
      this.states.set(s.name, 'Running');
      this.logger.info({ service: s.name, duration_ms: Date.now() - t0 }, `${s.name} running`);
    }
  }

  /** Stop every service in reverse start order, waiting for each; safe to call twice. */
  stopAll(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.abort.abort();
    for (const s of [...this.services].reverse()) {
      const state = this.states.get(s.name);
      if (state === 'New' || state === 'Terminated') continue;
      this.states.set(s.name, 'Stopping');
      try {
        await s.stop();
        this.states.set(s.name, 'Terminated');
      } catch (err) {
        this.states.set(s.name, 'Failed');
        this.logger.error({ service: s.name, err }, `service ${s.name} failed to stop: ${errorMessage(err)}`);
      }
    }
  }

  /** Null when every service runs and reports ready; otherwise the first reason it is not. */
  notReadyReason(): string | null {
    for (const s of this.services) {
      const state = this.states.get(s.name);
      if (state !== 'Running') return `${s.name} is ${state?.toLowerCase()}`;
      const reason = s.notReadyReason?.();
      if (reason) return reason;
    }
    return null;
  }

  /** Each service and its state, in start order. */
  list(): Array<{ name: string; state: ServiceState }> {
    return this.services.map((s) => ({ name: s.name, state: this.states.get(s.name) ?? 'New' }));
  }
}
