/**
 * Sends one tenant's queued rule samples to one remote-write client, as Prometheus' queue manager
 * does (`V:storage/remote/client.go`, `queue_manager.go`): batches of up to
 * `max_samples_per_send`, snappy-compressed protobuf, `X-Prometheus-Remote-Write-Version: 0.1.0`;
 * 5xx answers and network errors are retried with a doubling backoff (`min_backoff` to
 * `max_backoff`, or the server's Retry-After) until they succeed, 429 only with
 * `retry_on_http_429`, other answers drop the batch. The queue cursor moves only past what was
 * accepted or dropped, so a restart resends nothing lost.
 */
import type { Codec } from '../../../schemas/index.js';
import { errorMessage } from '../../../schemas/index.js';
import type { FjordConfig } from '../../../schemas/config/index.js';
import { pause, withDeadline, type Logger } from '../../../platform/index.js';
import type { RulerMetrics } from '../metrics.js';
import type { WalQueue } from './wal-queue.js';

/** One `ruler.remote_write.clients` entry. */
export type RemoteWriteClient = FjordConfig['ruler']['remote_write']['clients'][string];

type Outcome = 'sent' | 'dropped' | 'stopped';

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** What a writer needs besides its client's config. */
export interface RemoteWriterDeps {
  readonly tenant: string;
  readonly clientId: string;
  readonly queue: WalQueue;
  readonly snappy: Codec;
  readonly metrics: RulerMetrics;
  readonly logger: Logger;
  readonly addOrgIdHeader: boolean;
  readonly userAgent: string;
}

/** The send loop of one tenant and client. */
export class RemoteWriter {
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly labels: { tenant: string; remote_name: string; url: string };

  constructor(
    private readonly cfg: RemoteWriteClient,
    private readonly deps: RemoteWriterDeps,
  ) {
    this.labels = { tenant: deps.tenant, remote_name: `${deps.tenant}-rw-${deps.clientId}`, url: cfg.url };
  }

  start(): void {
    this.loop ??= this.run().catch((err: unknown) => this.deps.logger.error({ err: errorMessage(err) }, 'remote-write loop failed'));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { queue, clientId } = this.deps;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      const batch = await queue.read(queue.cursor(clientId), this.cfg.queue_config.max_samples_per_send);
      if (batch === null) {
        await queue.waitForAppend(signal);
        continue;
      }
      const outcome = await this.send(this.deps.snappy.compress(concat(batch.payloads)), batch.samples, signal);
      if (outcome === 'stopped') return;
      if (outcome === 'sent') this.deps.metrics.rwHighestSent.set(this.labels, batch.newestMs / 1000);
      await queue.commit(clientId, batch.next);
    }
  }

  private headers(attempt: number): Record<string, string> {
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.cfg.headers)) if (k.toLowerCase() !== 'x-scope-orgid') h[k] = v;
    Object.assign(h, {
      'Content-Encoding': 'snappy',
      'Content-Type': 'application/x-protobuf',
      'User-Agent': this.deps.userAgent,
      'X-Prometheus-Remote-Write-Version': '0.1.0',
    });
    if (this.deps.addOrgIdHeader) h['X-Scope-OrgID'] = this.deps.tenant;
    const auth = this.cfg.basic_auth;
    if (auth.username !== '') h.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    if (attempt > 0) h['Retry-Attempt'] = String(attempt);
    return h;
  }

  private async send(body: Uint8Array, samples: number, signal: AbortSignal): Promise<Outcome> {
    const { metrics, logger } = this.deps;
    const q = this.cfg.queue_config;
    let backoff = q.min_backoff;
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) return 'stopped';
      const t0 = performance.now();
      let wait: number | null = null;
      let why: string;
      try {
        const [res, text] = await withDeadline(signal, this.cfg.remote_timeout, async (bounded) => {
          const answer = await fetch(this.cfg.url, { method: 'POST', body, headers: this.headers(attempt), signal: bounded });
          return [answer, await answer.text().catch(() => '')] as const;
        });
        metrics.rwBatchDuration.observe(this.labels, (performance.now() - t0) / 1000);
        if (res.ok) {
          metrics.rwSamples.inc(this.labels, samples);
          return 'sent';
        }
        why = `server returned HTTP status ${res.status} ${res.statusText}: ${text.slice(0, 1024)}`;
        const recoverable = res.status >= 500 || (res.status === 429 && q.retry_on_http_429);
        if (!recoverable) {
          metrics.rwSamplesFailed.inc(this.labels, samples);
          logger.error({ tenant: this.deps.tenant, url: this.cfg.url, samples }, `non-recoverable error sending samples: ${why}`);
          return 'dropped';
        }
        wait = retryAfterMs(res.headers.get('retry-after'), Date.now());
      } catch (err) {
        if (signal.aborted) return 'stopped';
        why = errorMessage(err);
      }
      metrics.rwSamplesRetried.inc(this.labels, samples);
      if (attempt === 0) logger.warn({ tenant: this.deps.tenant, url: this.cfg.url, samples }, `remote write failed, retrying: ${why}`);
      await pause(wait ?? backoff, signal);
      backoff = Math.min(backoff * 2, q.max_backoff);
    }
  }
}
