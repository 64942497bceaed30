/**
 * What an ingester holds of one stream: its open chunk, the chunks cut but not yet durable (their
 * bytes kept to serve queries until an uploaded index bundle refers to them), and for each the
 * offset of the first record it came from — the facts the durability rule needs.
 */
import type { CodecSet } from '../../schemas/index.js';
import { StreamChunk, type CutChunk } from './stream-chunk.js';
import type { Labels } from '../../schemas/labels/index.js';
import type { CutReason } from './cut-policy.js';

/** A chunk cut from the stream and not yet durable. */
export interface PendingChunk {
  readonly chunk: CutChunk;
  readonly tenant: string;
  readonly labels: Labels;
  readonly reason: CutReason;
  /** Offset of the first record whose data the chunk holds. */
  readonly fromOffset: number;
  /** Set once the chunk object is uploaded and its index entries written; the index sequence number. */
  indexSeq: number | null;
}

/** One stream of one partition. */
export class StreamHold {
  readonly chunk: StreamChunk;
  /** Offset of the first record in the open chunk; null when it is empty. */
  headFromOffset: number | null = null;
  newestTsNs: bigint | null = null;
  lastAppendMs = 0;
  readonly pending: PendingChunk[] = [];

  constructor(
    readonly tenant: string,
    readonly labels: Labels,
    readonly labelsText: string,
    readonly fingerprint: string,
    codecs: CodecSet,
    encoding: keyof CodecSet,
    blockSizeBytes: number,
  ) {
    this.chunk = new StreamChunk({ tenant, labels: labelsText, fingerprint, codec: codecs[encoding], blockSizeBytes });
  }

  /** Cut the open chunk into a pending chunk (nothing when it is empty). */
  cut(reason: CutReason): PendingChunk | null {
    if (this.chunk.isEmpty || this.headFromOffset === null) return null;
    const p: PendingChunk = { chunk: this.chunk.cut(), tenant: this.tenant, labels: this.labels, reason, fromOffset: this.headFromOffset, indexSeq: null };
    this.headFromOffset = null;
    this.pending.push(p);
    return p;
  }

  /** Offsets of the data held only in memory. */
  *heldFrom(): Iterable<number> {
    if (this.headFromOffset !== null) yield this.headFromOffset;
    for (const p of this.pending) yield p.fromOffset;
  }

  /** Drop the pending chunks that became durable (their index sequence is at or below `seq`). */
  dropDurable(seq: number): PendingChunk[] {
    const gone: PendingChunk[] = [];
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i] as PendingChunk;
      if (p.indexSeq !== null && p.indexSeq <= seq) {
        gone.push(p);
        this.pending.splice(i, 1);
      }
    }
    return gone;
  }

  /** Bytes held in memory (open chunk estimate plus pending chunk bytes). */
  memoryBytes(): number {
    let n = this.chunk.memoryBytes;
    for (const p of this.pending) n += p.chunk.bytes.length;
    return n;
  }

  /** True when nothing is held. */
  isIdle(): boolean {
    return this.chunk.isEmpty && this.pending.length === 0;
  }
}
