/**
 * Ships cut chunks: uploads each chunk object (at most `concurrent_flushes` at once, each attempt
 * bounded by `flush_op_timeout`, retried with backoff while the store is down), then writes its
 * series and ref into the active index. A chunk becomes durable when the index bundle holding its
 * ref is uploaded (IndexWriter.sealAll); until then it stays held in memory.
 */
import { errorMessage } from '../../schemas/index.js';
import type { SeriesEntry } from '../../schemas/index/index.js';
import type { Logger, ObjectStore } from '../../platform/index.js';
import type { IndexWriter } from './index-writer.js';
import type { IngesterMetrics } from './metrics.js';
import type { PendingChunk } from './stream-hold.js';

/** Settings of the flusher (Loki's names). */
export interface FlusherConfig {
  readonly concurrent_flushes: number;
  readonly flush_op_timeout: number;
}

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 30_000;

/** The upload queue of one ingester. */
export class Flusher {
  private readonly queue: PendingChunk[] = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly cfg: FlusherConfig,
    private readonly store: ObjectStore,
    private readonly index: IndexWriter,
    private readonly metrics: IngesterMetrics,
    private readonly logger: Logger,
  ) {}

  /** Queue chunks for upload. */
  enqueue(chunks: readonly PendingChunk[]): void {
    if (chunks.length === 0) return;
    this.queue.push(...chunks);
    while (this.running < this.cfg.concurrent_flushes && this.queue.length > 0) {
      this.running++;
      void this.worker();
    }
  }

  /** Chunks queued or uploading. */
  backlog(): number {
    return this.queue.length + this.running;
  }

  private async worker(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) await this.ship(next);
    } finally {
      this.running--;
      if (this.running === 0 && this.queue.length === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  }

  private async ship(p: PendingChunk): Promise<void> {
    const { chunk } = p;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.put(chunk.key, chunk.bytes, AbortSignal.timeout(this.cfg.flush_op_timeout));
        break;
      } catch (err) {
        this.metrics.chunksFlushFailures.inc();
        if (this.stopped) {
          this.logger.error({ chunk: chunk.key, err: errorMessage(err) }, 'chunk not uploaded before stop; it will be replayed from the log');
          return;
        }
        const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
        this.logger.warn({ chunk: chunk.key, attempt, retry_in_ms: wait, err: errorMessage(err) }, 'chunk upload failed, retrying');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    const h = chunk.header;
    const series: SeriesEntry = { fingerprint: h.fingerprint, labels: p.labels };
    const ref = {
      fingerprint: h.fingerprint, fromNs: h.fromNs, throughNs: h.throughNs, checksum: chunk.checksum,
      compressedBytes: chunk.bytes.length, uncompressedBytes: h.uncompressedBytes, entries: h.entries,
    };
    p.indexSeq = Number(await this.index.add(p.tenant, series, ref));
    this.metrics.chunksFlushed.inc({ reason: p.reason });
    this.metrics.chunksStored.inc({ tenant: p.tenant });
    this.metrics.chunkStoredBytes.inc({ tenant: p.tenant }, chunk.bytes.length);
    this.metrics.chunkEntries.observe(h.entries);
    this.metrics.chunkSize.observe(chunk.bytes.length);
    this.metrics.chunkAge.observe(Number(h.throughNs - h.fromNs) / 1e9);
    if (chunk.bytes.length > 0) this.metrics.chunkCompressionRatio.observe(h.uncompressedBytes / chunk.bytes.length);
  }

  /** Resolve once nothing is queued or uploading. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stop retrying failed uploads (they are replayed from the log after a restart). */
  stop(): void {
    this.stopped = true;
  }
}
