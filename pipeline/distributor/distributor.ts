/**
 * The distributor: takes a decoded push for a tenant, validates it, applies the tenant's rate and
 * stream limits, and produces its streams to their partitions of the log, answering only when every
 * record is acknowledged. Nothing invalid reaches the log; valid streams are written even when
 * others in the same push are refused (Loki's behaviour), and the answer then names what was refused.
 */
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import {
  recordKeyAndHeaders, splitIntoRecords, type PushEntry, type PushRequest, type PushStream, type WritePosition,
} from '../../schemas/record/index.js';
import { systemClock, type Clock, type Logger, type LogProducer, type ProduceRecord, type Service } from '../../platform/index.js';
import type { Limits } from '../../schemas/config/tenant-limits.js';
import { TokenBuckets } from '../validation/rate-limiter.js';
import { LabelCache, type StreamLabels } from '../../schemas/labels/index.js';
import { entryBytes, groupErrors, validatePush, type Refusal, type ValidStream } from '../validation/validate.js';
import { InflightBytes } from './inflight.js';
import type { DistributorMetrics } from './metrics.js';
import { partitionFor } from './partitioner.js';
import { StreamLimits } from './stream-limits.js';

/**
 * How a push ended when it was not refused as a whole: every stream stored (`refused` null), or the
 * valid streams stored and the others refused: the reason (the error code answered, so the HTTP edge
 * picks the status) and Loki's message naming what was dropped.
 */
export interface PushOutcome {
  readonly refused: Refusal | null;
  /** Per partition written to, the offset just past the push's last record there (read-your-writes). */
  readonly position: WritePosition;
}

const NOTHING_WRITTEN: WritePosition = new Map();

/** Settings the distributor reads. */
export interface DistributorSettings {
  readonly distributor: FjordConfig['distributor'];
  readonly writeTimeoutMs: number;
  /** How long a stream counts as active for the stream limit (the ingesters' chunk_idle_period). */
  readonly streamActiveMs: number;
}

const MB = 1 << 20;
const SWEEP_EVERY_MS = 60_000;

/** The push path from decoded request to acknowledged records. */
export class Distributor implements Service {
  readonly name = 'distributor';
  private readonly inflight: InflightBytes;
  private readonly tenantRates = new TokenBuckets();
  private readonly streamLimits: StreamLimits;
  private readonly labelCache = new LabelCache();
  private sweeper: NodeJS.Timeout | null = null;
  private active = 0;
  private drained: (() => void) | null = null;

  constructor(
    private readonly settings: DistributorSettings,
    private readonly log: LogProducer,
    private readonly limits: Limits,
    private readonly metrics: DistributorMetrics,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.inflight = new InflightBytes(settings.distributor.max_inflight_bytes);
    this.streamLimits = new StreamLimits(settings.streamActiveMs);
  }

  async start(): Promise<void> {
    this.sweeper = setInterval(() => {
      this.streamLimits.sweep(this.clock.now());
      this.metrics.trackedStreams.set(this.streamLimits.trackedStreams());
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  /** Stop taking work and wait for pushes in flight. */
  async stop(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    if (this.active > 0) await new Promise<void>((r) => (this.drained = r));
  }

  /**
   * Push for `tenant`. Throws FjordError for a push refused as a whole (422 no streams, 400 labels
   * that do not parse, 429 rate limited, 503 log unavailable or overloaded).
   */
  async push(tenant: string, req: PushRequest, format: 'loki' | 'otlp', signal?: AbortSignal): Promise<PushOutcome> {
    this.active++;
    try {
      return await this.doPush(tenant, req, format, signal);
    } finally {
      if (--this.active === 0) this.drained?.();
    }
  }

  private async doPush(tenant: string, req: PushRequest, format: 'loki' | 'otlp', signal?: AbortSignal): Promise<PushOutcome> {
    if (req.streams.length === 0) throw new FjordError('missing_streams', 'error at least one valid stream is required for ingestion');
    const limits = this.limits.forTenant(tenant);
    const labels: StreamLabels[] = req.streams.map((s) => this.labelCache.get(s.labels, limits.discover_service_name));
    this.countReceived(tenant, req, format);
    const nowMs = this.clock.now();
    const outcome = validatePush(req, labels, { tenant, limits, nowMs });
    for (const d of outcome.discards) this.discard(d.reason, tenant, d.lines, d.bytes);
    if (outcome.truncated.lines > 0) {
      this.metrics.mutatedSamples.inc({ reason: 'line_too_long', tenant }, outcome.truncated.lines);
      this.metrics.mutatedBytes.inc({ reason: 'line_too_long', tenant }, outcome.truncated.bytes);
    }
    const first = outcome.errors[0];
    let refused: Refusal | null = first === undefined ? null : { reason: first.reason, message: groupErrors(outcome.errors) };
    if (outcome.streams.length === 0) return { refused, position: NOTHING_WRITTEN };

    const bytes = outcome.streams.reduce((n, s) => n + s.bytes, 0);
    const lines = outcome.streams.reduce((n, s) => n + s.entries.length, 0);
    const rate = limits.ingestion_rate_mb * MB;
    if (!this.tenantRates.tryTake(tenant, bytes, rate, limits.ingestion_burst_size_mb * MB, nowMs)) {
      this.discard('rate_limited', tenant, lines, bytes);
      throw new FjordError(
        'rate_limited',
        `ingestion rate limit exceeded for user ${tenant} (limit: ${Math.trunc(rate)} bytes/sec) while attempting to ingest '${lines}' lines totaling '${bytes}' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased`,
      );
    }

    const accepted: ValidStream[] = [];
    let refusal: Refusal | null = null;
    for (const s of outcome.streams) {
      const refused = this.streamLimits.admit(tenant, s.labels.text, s.bytes, limits, nowMs);
      if (refused) {
        this.discard(refused.reason, tenant, s.entries.length, s.bytes);
        refusal ??= refused;
      } else accepted.push(s);
    }
    if (refusal !== null) {
      if (accepted.length === 0) throw new FjordError(refusal.reason, refusal.message);
      refused = refusal;
    }
    const position = await this.produce(tenant, accepted, signal);
    return { refused, position };
  }

  private countReceived(tenant: string, req: PushRequest, format: string): void {
    let lines = 0;
    let bytes = 0;
    let smBytes = 0;
    for (const s of req.streams) {
      lines += s.entries.length;
      const entries = s.entries;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i] as PushEntry;
        const n = entryBytes(e);
        bytes += n;
        smBytes += n - e.line.length;
      }
    }
    this.metrics.linesReceived.inc({ tenant, format }, lines);
    this.metrics.bytesReceived.inc({ tenant, format }, bytes);
    if (smBytes > 0) this.metrics.structuredMetadataBytesReceived.inc({ tenant, format }, smBytes);
  }

  private discard(reason: string, tenant: string, lines: number, bytes: number): void {
    this.metrics.discarded.samples.inc({ reason, tenant }, lines);
    this.metrics.discarded.bytes.inc({ reason, tenant }, bytes);
  }

  /** Produce the streams, grouped by partition; resolves, when every record is acknowledged, with the write position. */
  private async produce(tenant: string, streams: readonly ValidStream[], signal?: AbortSignal): Promise<WritePosition> {
    const partitions = this.log.partitionCount();
    const byPartition = new Map<number, PushStream[]>();
    let bytes = 0;
    for (const s of streams) {
      const p = partitionFor(tenant, s.labels.text, partitions);
      const list = byPartition.get(p) ?? [];
      list.push({ labels: s.labels.text, entries: s.entries });
      byPartition.set(p, list);
      bytes += s.bytes;
    }
    const release = await this.inflight.acquire(bytes, this.settings.writeTimeoutMs, signal);
    this.metrics.inflightBytes.set(this.inflight.current());
    const t0 = performance.now();
    const { key, headers } = recordKeyAndHeaders(tenant);
    let records = 0;
    const position = new Map<number, number>();
    try {
      await Promise.all(
        [...byPartition].map(async ([partition, list]) => {
          const values = splitIntoRecords(list, this.log.maxRecordBytes());
          const batch: ProduceRecord[] = values.map((value) => ({ key, value, headers }));
          records += batch.length;
          try {
            const offsets = await this.log.produce(partition, batch, signal);
            position.set(partition, Math.max(...offsets) + 1);
          } catch (err) {
            this.metrics.kafkaAppends.inc({ partition: String(partition), status: 'fail' });
            throw err;
          }
          this.metrics.kafkaAppends.inc({ partition: String(partition), status: 'success' });
          this.metrics.kafkaSentBytes.inc(values.reduce((n, v) => n + v.length, 0));
        }),
      );
    } catch (err) {
      this.metrics.appendFailures.inc();
      this.logger.warn({ tenant, err: errorMessage(err) }, 'push not written to the log');
      if (err instanceof FjordError && err.code !== 'log_record_too_large' && err.code !== 'invalid_argument') {
        throw new FjordError('log_unavailable', `failed to write to the log: ${err.message}`, { cause: err });
      }
      throw err;
    } finally {
      release();
      this.metrics.inflightBytes.set(this.inflight.current());
    }
    this.metrics.kafkaLatency.observe((performance.now() - t0) / 1000);
    this.metrics.recordsPerRequest.observe(records);
    return position;
  }
}
