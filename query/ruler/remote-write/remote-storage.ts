/**
 * Remote write for every tenant: a queue per tenant under `ruler.wal.dir/<tenant>` and a writer
 * per tenant and client, made on the tenant's first samples; queues truncated every
 * `ruler.wal.truncate_frequency`. With `ruler.remote_write.enabled: false`, or for a tenant
 * with `ruler_remote_write_disabled`, samples are discarded, as Loki does.
 */
import { join } from 'node:path';
import { errorMessage, type Codec } from '../../../schemas/index.js';
import type { FjordConfig, Limits } from '../../../schemas/config/index.js';
import type { Clock, Logger } from '../../../platform/index.js';
import type { RulerMetrics } from '../metrics.js';
import type { RuleSample } from '../rule-sample.js';
import { encodeWriteRequest } from './prompb.js';
import { RemoteWriter } from './remote-writer.js';
import { WalQueue } from './wal-queue.js';

interface TenantWrite {
  readonly queue: WalQueue;
  readonly writers: RemoteWriter[];
}

/** What remote storage needs. */
export interface RemoteStorageDeps {
  readonly cfg: FjordConfig['ruler'];
  /** `ruler.wal.dir`, resolved. */
  readonly dir: string;
  readonly limits: Limits;
  readonly snappy: Codec;
  readonly metrics: RulerMetrics;
  readonly logger: Logger;
  readonly userAgent: string;
  readonly clock: Clock;
}

/** Samples of rules to remote-write, queued per tenant. */
export class RemoteStorage {
  private readonly tenants = new Map<string, Promise<TenantWrite>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: RemoteStorageDeps) {}

  /** Whether samples of `tenant` are kept at all. */
  enabled(tenant: string): boolean {
    return this.deps.cfg.remote_write.enabled && !this.deps.limits.forTenant(tenant).ruler_remote_write_disabled;
  }

  start(): void {
    if (!this.deps.cfg.remote_write.enabled) return;
    this.timer = setInterval(() => void this.truncate(this.deps.clock.now()), this.deps.cfg.wal.truncate_frequency);
    this.timer.unref();
  }

  private tenant(tenant: string): Promise<TenantWrite> {
    let t = this.tenants.get(tenant);
    if (!t) {
      t = this.open(tenant);
      this.tenants.set(tenant, t);
      t.catch(() => this.tenants.delete(tenant));
    }
    return t;
  }

  private async open(tenant: string): Promise<TenantWrite> {
    const { cfg, snappy, metrics, logger, userAgent } = this.deps;
    const clients = Object.entries(cfg.remote_write.clients);
    const queue = new WalQueue(join(this.deps.dir, tenant), clients.map(([id]) => id));
    await queue.open();
    const writers = clients.map(([id, c]) => new RemoteWriter(c, {
      tenant, clientId: id, queue, snappy, metrics, userAgent, addOrgIdHeader: cfg.remote_write.add_org_id_header,
      logger: logger.child({ tenant, remote_write: id }),
    }));
    if (!this.stopped) for (const w of writers) w.start();
    return { queue, writers };
  }

  /** Queue `samples` of `tenant` (one evaluation's); resolves once they are on disk. */
  async append(tenant: string, samples: readonly RuleSample[]): Promise<void> {
    if (samples.length === 0 || !this.enabled(tenant) || this.stopped) return;
    const t = await this.tenant(tenant);
    const newest = samples.reduce((m, s) => Math.max(m, s.tsMs), 0);
    await t.queue.append(encodeWriteRequest(samples), samples.length, newest);
    this.deps.metrics.walSamplesAppended.inc({ tenant }, samples.length);
  }

  /** Drop what is sent and old, and what is too old to send (counted as dropped). */
  async truncate(nowMs: number): Promise<void> {
    const { cfg, metrics, logger } = this.deps;
    for (const [tenant, pending] of this.tenants) {
      try {
        const t = await pending;
        const dropped = await t.queue.truncate(nowMs, cfg.wal.min_age, cfg.wal.max_age);
        for (const [id, n] of dropped) {
          const url = cfg.remote_write.clients[id]?.url ?? '';
          metrics.rwSamplesDropped.inc({ tenant, remote_name: `${tenant}-rw-${id}`, url, reason: 'too_old' }, n);
          logger.warn({ tenant, remote_write: id, samples: n }, 'samples older than ruler.wal.max_age dropped unsent');
        }
        metrics.walDiskSize.set({ tenant }, await t.queue.diskBytes());
      } catch (err) {
        logger.warn({ tenant, err: errorMessage(err) }, 'ruler WAL truncation failed');
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const pending of this.tenants.values()) {
      const t = await pending.catch(() => null);
      if (!t) continue;
      await Promise.all(t.writers.map((w) => w.stop()));
      await t.queue.close();
    }
    this.tenants.clear();
  }
}
