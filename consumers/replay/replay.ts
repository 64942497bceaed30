/**
 * Re-consuming offset ranges of partitions into chunks and index bundles exactly as an ingester
 * does: records decoded with the same record layout, appended to a PartitionIngest, chunks cut by
 * the same cut policy, uploaded by the same Flusher, indexed by an IndexWriter on a temporary
 * LevelDB directory and sealed into bundles; everything is flushed at the end.
 *
 * Idempotence: chunk keys are content-addressed, so the same chunks give the same keys. To cut the
 * same chunks on every run, the cut policy's clock is the log's own (the largest record timestamp
 * seen), cut checks happen when that clock enters a new `flush_check_period` and on offsets that
 * are multiples of CHECK_EVERY_OFFSETS, and the memory ceiling is checked there against open-chunk
 * memory only — none of it depends on wall time, fetch boundaries or upload speed. The index
 * bundles of a run get fresh ids and hold only refs no bundle in the store holds yet (the
 * command's IndexWriter is given the store's indexed chunks), so a replay of what is already
 * indexed uploads no bundle.
 */
import { errorMessage, type CodecSet } from '../../schemas/index.js';
import type { FjordConfig, Limits } from '../../schemas/config/index.js';
import { decodeRecord } from '../../schemas/record/index.js';
import type { Logger, ObjectStore, LogReader } from '../../platform/index.js';
import { LabelCache } from '../../schemas/labels/index.js';
import { Flusher, IndexWriter, PartitionIngest, type IngesterMetrics } from '../ingester/index.js';

/** Offsets [fromOffset, toOffset) of one partition. */
export interface PartitionRange {
  readonly partition: number;
  readonly fromOffset: number;
  readonly toOffset: number;
}

/** How far one partition's replay got. */
export interface PartitionReplayState {
  readonly partition: number;
  readonly fromOffset: number;
  readonly toOffset: number;
  /** The next offset to read. */
  nextOffset: number;
  records: number;
  malformed: number;
  entries: number;
  chunks: number;
  startedMs: number | null;
  finishedMs: number | null;
}

/** What the replayer is built from. */
export interface ReplayDeps {
  readonly config: FjordConfig;
  readonly log: LogReader;
  readonly store: ObjectStore;
  readonly codecs: CodecSet;
  readonly limits: Limits;
  /** An index writer over a fresh (temporary) table, not opened yet. */
  readonly index: IndexWriter;
  readonly metrics: IngesterMetrics;
  readonly logger: Logger;
}

/**
 * On offsets that are multiples of this the cut policy runs again (so a burst within one
 * flush_check_period of log time still cuts full chunks) and open-chunk memory is compared with
 * `replay_memory_ceiling`.
 */
const CHECK_EVERY_OFFSETS = 1000;
/** Chunks queued for upload before reading waits for the queue to drain. */
const MAX_QUEUED_CHUNKS_PER_FLUSH = 4;

/** Replays partition ranges one after the other. */
export class Replayer {
  private readonly labelCache = new LabelCache();
  private readonly flusher: Flusher;
  private lastSealMs = Date.now();
  /** Index bundles uploaded so far. */
  bundlesWritten = 0;

  constructor(private readonly deps: ReplayDeps) {
    this.flusher = new Flusher(deps.config.ingester, deps.store, deps.index, deps.metrics, deps.logger);
  }

  /** Replay every range; `onProgress` is called after each batch. Resolves with the final states. */
  async run(ranges: readonly PartitionRange[], onProgress: (states: readonly PartitionReplayState[]) => void, signal: AbortSignal): Promise<PartitionReplayState[]> {
    const states: PartitionReplayState[] = ranges.map((r) => ({
      ...r, nextOffset: r.fromOffset, records: 0, malformed: 0, entries: 0, chunks: 0, startedMs: null, finishedMs: null,
    }));
    await this.deps.index.open();
    const giveUp = () => this.flusher.stop();
    signal.addEventListener('abort', giveUp, { once: true });
    try {
      for (const state of states) {
        if (signal.aborted) break;
        await this.replayPartition(state, () => onProgress(states), signal);
        onProgress(states);
      }
    } finally {
      signal.removeEventListener('abort', giveUp);
      this.flusher.stop();
      await this.deps.index.close();
    }
    return states;
  }

  private settings() {
    const c = this.deps.config.ingester;
    return {
      chunk_block_size: c.chunk_block_size, chunk_target_size: c.chunk_target_size, max_chunk_age: c.max_chunk_age,
      chunk_idle_period: c.chunk_idle_period, chunk_encoding: c.chunk_encoding,
    };
  }

  private async replayPartition(state: PartitionReplayState, progress: () => void, signal: AbortSignal): Promise<void> {
    const cfg = this.deps.config.ingester;
    state.startedMs = Date.now();
    const ingest = new PartitionIngest(state.partition, state.fromOffset, this.settings(), this.deps.codecs, this.labelCache);
    const ship = (reason?: 'flush' | 'memory', clockMs = 0) => {
      const cut = reason ? ingest.cutDue(clockMs, reason) : ingest.cutDue(clockMs);
      state.chunks += cut.length;
      this.flusher.enqueue(cut);
    };
    if (state.fromOffset < state.toOffset) {
      const reading = new AbortController();
      const stopReading = () => reading.abort();
      signal.addEventListener('abort', stopReading, { once: true });
      let clockMs = -Infinity;
      let checkSlot = -Infinity;
      try {
        outer: for await (const batch of this.deps.log.read(state.partition, state.fromOffset, reading.signal)) {
          for (const rec of batch) {
            if (rec.offset < state.nextOffset) continue;
            if (rec.offset >= state.toOffset) break outer;
            if (rec.timestampMs > clockMs) clockMs = rec.timestampMs;
            const slot = Math.floor(clockMs / cfg.flush_check_period);
            if (slot !== checkSlot) {
              checkSlot = slot;
              ship(undefined, clockMs);
            }
            this.append(ingest, state, rec, clockMs);
            if (rec.offset % CHECK_EVERY_OFFSETS === 0) {
              ship(undefined, clockMs);
              if (openChunkBytes(ingest) > cfg.wal.replay_memory_ceiling) ship('memory', clockMs);
            }
            state.nextOffset = rec.offset + 1;
          }
          await this.keepUp(ingest);
          progress();
          if (state.nextOffset >= state.toOffset || signal.aborted) break;
        }
      } finally {
        reading.abort();
        signal.removeEventListener('abort', stopReading);
      }
    }
    if (signal.aborted) return;
    ship('flush', 0);
    await this.flusher.idle();
    await this.seal(ingest);
    state.finishedMs = Date.now();
  }

  private append(ingest: PartitionIngest, state: PartitionReplayState, rec: { offset: number; key: Uint8Array | null; value: Uint8Array; headers: Readonly<Record<string, Uint8Array>> }, clockMs: number): void {
    state.records++;
    try {
      const decoded = decodeRecord(rec);
      const discover = this.deps.limits.forTenant(decoded.tenant).discover_service_name;
      const r = ingest.append(decoded.tenant, decoded.request, rec.offset, clockMs, true, discover);
      state.entries += r.appended;
    } catch (err) {
      state.malformed++;
      ingest.skip(rec.offset);
      this.deps.logger.warn({ partition: state.partition, offset: rec.offset, err: errorMessage(err) }, 'skipped a record that cannot be decoded');
    }
  }

  /** Bound what waits in memory: drain the upload queue when it is long, seal every index_upload_interval. */
  private async keepUp(ingest: PartitionIngest): Promise<void> {
    if (this.flusher.backlog() > this.deps.config.ingester.concurrent_flushes * MAX_QUEUED_CHUNKS_PER_FLUSH) await this.flusher.idle();
    if (Date.now() - this.lastSealMs >= this.deps.config.ingester.index_upload_interval) {
      await this.flusher.idle();
      await this.seal(ingest);
    }
  }

  private async seal(ingest: PartitionIngest): Promise<void> {
    this.bundlesWritten += (await this.deps.index.sealAll()).bundles;
    this.lastSealMs = Date.now();
    ingest.dropDurable(Number(this.deps.index.durableUpTo()));
  }
}

/** Memory of the open chunks only (pending chunks' memory depends on upload timing). */
function openChunkBytes(ingest: PartitionIngest): number {
  let n = 0;
  for (const h of ingest.holds()) n += h.chunk.memoryBytes;
  return n;
}
