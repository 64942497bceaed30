/**
 * Sends a tenant's alerts to every Alertmanager of `ruler.alertmanager_url` with API v2
 * (`POST <url path>/api/v2/alerts`, JSON array, `X-Scope-OrgID: <tenant>`), as Prometheus'
 * notifier does (`V:notifier/`): one bounded queue per Alertmanager
 * (`notification_queue_capacity`; the oldest alerts give way), batches of at most 256 alerts,
 * each POST bounded by `notification_timeout`. A batch that fails on the network, a 5xx or a 429
 * is tried again (three attempts, half a second then a second apart) before it is counted as
 * dropped; firing alerts are sent again every `resend_delay` anyway.
 */
import { errorMessage } from '../../../schemas/index.js';
import type { FjordConfig } from '../../../schemas/config/index.js';
import { pause, withDeadline, type Logger } from '../../../platform/index.js';
import type { RulerMetrics } from '../metrics.js';
import { alertsBody, type PostableAlert } from './postable-alert.js';

/** Prometheus' notifier DefaultMaxBatchSize. */
export const MAX_BATCH = 256;
const ATTEMPTS = 3;
const FIRST_RETRY_MS = 500;

/** One Alertmanager: where alerts are posted, and how to authenticate. */
export interface AlertmanagerTarget {
  /** The POST URL (`…/api/v2/alerts`), without credentials. */
  readonly url: string;
  readonly authorization: string | null;
}

/** The Alertmanagers of `ruler.alertmanager_url` (credentials from the URL, else from `alertmanager_client`). */
export function alertmanagerTargets(cfg: FjordConfig['ruler']): AlertmanagerTarget[] {
  const client = cfg.alertmanager_client;
  return cfg.alertmanager_url.split(',').map((u) => u.trim()).filter((u) => u !== '').map((raw) => {
    const u = new URL(raw);
    let authorization: string | null = null;
    if (u.username !== '') {
      authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    } else if (client.basic_auth_username !== '') {
      authorization = `Basic ${Buffer.from(`${client.basic_auth_username}:${client.basic_auth_password}`).toString('base64')}`;
    } else if (client.credentials !== '') {
      authorization = `${client.type} ${client.credentials}`;
    }
    u.username = '';
    u.password = '';
    u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
    return { url: u.toString(), authorization };
  });
}

/** The queue and send loop of one tenant and one Alertmanager. */
class SendLoop {
  private queue: PostableAlert[] = [];
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly target: AlertmanagerTarget,
    private readonly tenant: string,
    private readonly cfg: FjordConfig['ruler'],
    private readonly metrics: RulerMetrics,
    private readonly logger: Logger,
    private readonly userAgent: string,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => this.wake?.(), { once: true });
  }

  add(alerts: readonly PostableAlert[]): void {
    const cap = this.cfg.notification_queue_capacity;
    const labels = { user: this.tenant, alertmanager: this.target.url };
    let batch = alerts;
    if (batch.length > cap) {
      this.metrics.notificationsDropped.inc(labels, batch.length - cap);
      batch = batch.slice(batch.length - cap);
    }
    const overflow = this.queue.length + batch.length - cap;
    if (overflow > 0) {
      this.queue.splice(0, overflow);
      this.metrics.notificationsDropped.inc(labels, overflow);
      this.logger.warn({ tenant: this.tenant, alertmanager: this.target.url, dropped: overflow }, 'alert notification queue full, dropping alerts');
    }
    this.queue.push(...batch);
    this.metrics.notificationQueueLength.set(labels, this.queue.length);
    this.loop ??= this.run();
    this.wake?.();
  }

  private async run(): Promise<void> {
    const labels = { user: this.tenant, alertmanager: this.target.url };
    while (!this.signal.aborted) {
      if (this.queue.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (this.signal.aborted) resolve();
        });
        this.wake = null;
        continue;
      }
      const batch = this.queue.splice(0, MAX_BATCH);
      this.metrics.notificationQueueLength.set(labels, this.queue.length);
      if (await this.post(batch)) this.metrics.notificationsSent.inc(labels, batch.length);
      else if (!this.signal.aborted) {
        this.metrics.notificationsDropped.inc(labels, batch.length);
      }
    }
  }

  /** POST one batch, with retries; true when an attempt got a 2xx. */
  private async post(batch: readonly PostableAlert[]): Promise<boolean> {
    const labels = { user: this.tenant, alertmanager: this.target.url };
    const body = alertsBody(batch);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': this.userAgent, 'X-Scope-OrgID': this.tenant };
    if (this.target.authorization !== null) headers.Authorization = this.target.authorization;
    let delay = FIRST_RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      const t0 = performance.now();
      let why: string;
      let retryable = true;
      try {
        const [res, text] = await withDeadline(this.signal, this.cfg.notification_timeout, async (bounded) => {
          const answer = await fetch(this.target.url, { method: 'POST', body, headers, signal: bounded });
          return [answer, await answer.text().catch(() => '')] as const;
        });
        this.metrics.notificationLatency.observe(labels, (performance.now() - t0) / 1000);
        if (res.ok) return true;
        why = `bad response status ${res.status} ${res.statusText}: ${text.slice(0, 256)}`;
        retryable = res.status >= 500 || res.status === 429;
      } catch (err) {
        if (this.signal.aborted) return false;
        why = errorMessage(err);
      }
      this.metrics.notificationErrors.inc(labels, batch.length);
      if (!retryable || attempt >= ATTEMPTS) {
        this.logger.error({ tenant: this.tenant, alertmanager: this.target.url, alerts: batch.length, attempts: attempt }, `error sending alerts: ${why}`);
        return false;
      }
      await pause(delay, this.signal);
      delay *= 2;
    }
  }

  stop(): Promise<void> {
    this.wake?.();
    return this.loop ?? Promise.resolve();
  }
}

/** A tenant's notifier over all configured Alertmanagers. */
export class Notifier {
  private readonly abort = new AbortController();
  private readonly loops: SendLoop[];

  constructor(
    tenant: string,
    targets: readonly AlertmanagerTarget[],
    cfg: FjordConfig['ruler'],
    metrics: RulerMetrics,
    logger: Logger,
    userAgent: string,
  ) {
    this.loops = targets.map((t) => new SendLoop(t, tenant, cfg, metrics, logger, userAgent, this.abort.signal));
    metrics.notificationQueueCapacity.set({ user: tenant }, cfg.notification_queue_capacity);
    metrics.alertmanagersDiscovered.set({ user: tenant }, targets.length);
  }

  /** Queue alerts for every Alertmanager. */
  send(alerts: readonly PostableAlert[]): void {
    if (alerts.length === 0) return;
    for (const l of this.loops) l.add(alerts);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.loops.map((l) => l.stop()));
  }
}
