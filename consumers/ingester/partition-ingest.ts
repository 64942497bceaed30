/**
 * One partition's data in an ingester: records appended into per-stream chunks, chunks cut by the
 * cut policy, and the committable offset computed from what is still held only in memory.
 * Used by the ingester for its assigned partitions and by `fjord replay`. No I/O: uploads and
 * index writes happen outside, and report back through `PendingChunk.indexSeq` and `dropDurable`.
 */
import type { CodecSet } from '../../schemas/index.js';
import { fnv1a64Hex } from '../../schemas/wire/index.js';
import type { PushEntry, PushRequest } from '../../schemas/record/index.js';
import type { LabelCache } from '../../schemas/labels/index.js';
import { committableOffset } from './durable-offset.js';
import { cutReason, isTooFarBehind, type CutConfig, type CutReason } from './cut-policy.js';
import { StreamHold, type PendingChunk } from './stream-hold.js';

/** How chunks are built and cut. */
export interface IngestSettings extends CutConfig {
  readonly chunk_block_size: number;
  readonly chunk_encoding: keyof CodecSet;
}

/** What appending one record did. */
export interface AppendResult {
  appended: number;
  duplicates: number;
  /** Entries refused as too far behind their stream's newest entry, with their bytes. */
  tooFarBehind: number;
  tooFarBehindBytes: number;
  /** Streams created by this record. */
  newStreams: number;
}

/** The streams of one partition. */
export class PartitionIngest {
  private readonly streams = new Map<string, StreamHold>();
  /** The next offset to consume. */
  nextOffset: number;

  constructor(
    readonly partition: number,
    startOffset: number,
    private readonly settings: IngestSettings,
    private readonly codecs: CodecSet,
    private readonly labelCache: LabelCache,
  ) {
    this.nextOffset = startOffset;
  }

  /**
   * Append the streams of the record at `offset` (labels already canonical or parsed here). `tap`,
   * when given, is handed each stream's entries that were appended (not duplicates or refused).
   */
  append(
    tenant: string, req: PushRequest, offset: number, nowMs: number, replaying: boolean, discoverServiceName: readonly string[],
    tap?: (hold: StreamHold, appended: readonly PushEntry[]) => void,
  ): AppendResult {
    const r: AppendResult = { appended: 0, duplicates: 0, tooFarBehind: 0, tooFarBehindBytes: 0, newStreams: 0 };
    for (const s of req.streams) {
      if (s.entries.length === 0) continue;
      const parsed = this.labelCache.get(s.labels, discoverServiceName);
      const key = `${tenant}\u0000${parsed.text}`;
      let hold = this.streams.get(key);
      if (!hold) {
        hold = new StreamHold(tenant, parsed.labels, parsed.text, fnv1a64Hex(parsed.text), this.codecs, this.settings.chunk_encoding, this.settings.chunk_block_size);
        this.streams.set(key, hold);
        r.newStreams++;
      }
      const tapped: PushEntry[] | null = tap === undefined ? null : [];
      for (const e of s.entries) {
        if (isTooFarBehind(e.tsNs, hold.newestTsNs, this.settings.max_chunk_age, replaying)) {
          r.tooFarBehind++;
          r.tooFarBehindBytes += e.line.length;
          continue;
        }
        if (hold.chunk.append(e, nowMs) === 'duplicate') {
          r.duplicates++;
          continue;
        }
        r.appended++;
        tapped?.push(e);
        if (hold.headFromOffset === null) hold.headFromOffset = offset;
        if (hold.newestTsNs === null || e.tsNs > hold.newestTsNs) hold.newestTsNs = e.tsNs;
        hold.lastAppendMs = nowMs;
      }
      if (tapped !== null && tapped.length > 0) tap?.(hold, tapped);
    }
    if (offset + 1 > this.nextOffset) this.nextOffset = offset + 1;
    return r;
  }

  /** Mark `offset` consumed without data (a skipped or dead-lettered record). */
  skip(offset: number): void {
    if (offset + 1 > this.nextOffset) this.nextOffset = offset + 1;
  }

  /** Cut every chunk the policy says is due, or every open chunk when `force` is given. */
  cutDue(nowMs: number, force?: CutReason): PendingChunk[] {
    const out: PendingChunk[] = [];
    for (const hold of this.streams.values()) {
      const c = hold.chunk;
      if (c.isEmpty) continue;
      const reason =
        force ??
        cutReason(
          { compressedBytes: c.compressedBytes, entries: c.entries, minTsNs: c.minTsNs ?? 0n, maxTsNs: c.maxTsNs ?? 0n, lastAppendMs: hold.lastAppendMs },
          this.settings,
          nowMs,
        );
      if (reason === null) continue;
      const p = hold.cut(reason);
      if (p) out.push(p);
    }
    return out;
  }

  /** Cut the largest open chunks until about `bytes` of open-chunk memory is freed (memory pressure). */
  cutLargest(bytes: number): PendingChunk[] {
    const byMemory = [...this.streams.values()].filter((h) => !h.chunk.isEmpty).sort((a, b) => b.chunk.memoryBytes - a.chunk.memoryBytes);
    const out: PendingChunk[] = [];
    let freed = 0;
    for (const hold of byMemory) {
      if (freed >= bytes) break;
      freed += hold.chunk.memoryBytes;
      const p = hold.cut('memory');
      if (p) out.push(p);
    }
    return out;
  }

  /** The offset that may be committed (the durability rule). */
  committable(): number {
    const held: number[] = [];
    for (const hold of this.streams.values()) for (const o of hold.heldFrom()) held.push(o);
    return committableOffset(this.nextOffset, held);
  }

  /** Release pending chunks that an uploaded index bundle now covers; forget idle streams. */
  dropDurable(seq: number): PendingChunk[] {
    const gone: PendingChunk[] = [];
    for (const [key, hold] of this.streams) {
      gone.push(...hold.dropDurable(seq));
      if (hold.isIdle()) this.streams.delete(key);
    }
    return gone;
  }

  /** Every stream held (for recent-data queries and metrics). */
  holds(): IterableIterator<StreamHold> {
    return this.streams.values();
  }

  /** Bytes held in memory. */
  memoryBytes(): number {
    let n = 0;
    for (const h of this.streams.values()) n += h.memoryBytes();
    return n;
  }

  get streamCount(): number {
    return this.streams.size;
  }
}
