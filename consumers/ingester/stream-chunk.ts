/**
 * The open chunk of one stream: an uncompressed head block that takes appends in any timestamp
 * order, cut into a compressed block when it reaches `chunk_block_size`, and closed blocks that
 * make the chunk on `cut()`. Like Loki's unordered head block, the head is sorted when it is cut and
 * an entry equal to one already in the head (timestamp, line and structured metadata) is dropped as
 * a duplicate. It keeps the numbers the cut policy needs; times come from the caller. Pure.
 */
import {
  decodeBlock, decodeBlockPayload, encodeBlock, encodeBlockPayload, encodeChunk, mergeBlockEntries, sortOrder, type BlockEntry,
  type BlockSource, type DecodedBlock, type EncodedBlock, type EncodedChunk,
} from '../../schemas/chunk/index.js';
import { FjordError, type Codec } from '../../schemas/index.js';
import { labelsEqual, type Label } from '../../schemas/labels/index.js';
import { chunkKey } from '../../schemas/index/index.js';
import type { PushEntry } from '../../schemas/record/index.js';
import { TimestampChains } from './timestamp-chains.js';

/** Loki's default `chunk_block_size`: the head block's uncompressed size that cuts a block. */
export const DEFAULT_BLOCK_SIZE_BYTES = 262_144;

/** Bytes counted per head entry beyond its line and metadata, for the memory estimate. */
const ENTRY_OVERHEAD_BYTES = 64;

/** Which stream the chunk belongs to and how its blocks are cut and compressed. */
export interface StreamChunkConfig {
  readonly tenant: string;
  /** Canonical label text (`formatLabels`). */
  readonly labels: string;
  /** Stream fingerprint, 16 lowercase hex digits. */
  readonly fingerprint: string;
  readonly codec: Codec;
  /** Uncompressed head size that cuts a block (Loki's `chunk_block_size`, 262144). */
  readonly blockSizeBytes: number;
}

/** What `append` did: stored the entry, or dropped it as a duplicate of one in the head block. */
export type AppendOutcome = 'appended' | 'duplicate';

/** A finished chunk with its object key. */
export interface CutChunk extends EncodedChunk {
  readonly key: string;
}


function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The head block: entries as columns, lines copied into one growing buffer. */
class HeadBlock {
  tsNs: bigint[] = [];
  lineBounds: number[] = [0];
  lineBytes = new Uint8Array(4096);
  metadata: (readonly Label[])[] = [];
  /** Line plus metadata bytes: the size compared with `blockSizeBytes`. */
  sizeBytes = 0;
  metadataBytes = 0;
  minTsNs = 0n;
  maxTsNs = 0n;
  /**
   * The duplicate-check index, built on the first append at or before `maxTsNs` (only such an entry
   * can repeat one).
   */
  private chains: TimestampChains | null = null;

  get count(): number {
    return this.tsNs.length;
  }

  line(i: number): Uint8Array {
    return this.lineBytes.subarray(this.lineBounds[i], this.lineBounds[i + 1]);
  }

  isDuplicate(e: PushEntry): boolean {
    if (this.count === 0 || e.tsNs > this.maxTsNs) return false;
    if (this.chains === null) {
      this.chains = new TimestampChains();
      for (let i = 0; i < this.count; i++) this.chains.add(i, this.tsNs);
    }
    for (let i = this.chains.first(e.tsNs); i >= 0; i = this.chains.next(i)) {
      if (this.tsNs[i] === e.tsNs && sameBytes(this.line(i), e.line) && labelsEqual(this.metadata[i] as readonly Label[], e.structuredMetadata)) return true;
    }
    return false;
  }

  add(e: PushEntry): void {
    const i = this.count;
    const end = (this.lineBounds[i] as number) + e.line.length;
    if (end > this.lineBytes.length) {
      let size = this.lineBytes.length * 2;
      while (size < end) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.lineBytes.subarray(0, this.lineBounds[i]));
      this.lineBytes = next;
    }
    this.lineBytes.set(e.line, this.lineBounds[i]);
    this.lineBounds.push(end);
    this.tsNs.push(e.tsNs);
    this.metadata.push(e.structuredMetadata);
    let meta = 0;
    const labels = e.structuredMetadata;
    for (let k = 0; k < labels.length; k++) meta += (labels[k] as Label).name.length + (labels[k] as Label).value.length;
    this.metadataBytes += meta;
    this.sizeBytes += e.line.length + meta;
    if (i === 0 || e.tsNs < this.minTsNs) this.minTsNs = e.tsNs;
    if (i === 0 || e.tsNs > this.maxTsNs) this.maxTsNs = e.tsNs;
    if (this.chains !== null) this.chains.add(i, this.tsNs);
  }

  source(): BlockSource {
    return { tsNs: this.tsNs, lineBytes: this.lineBytes, lineBounds: this.lineBounds, structuredMetadata: this.metadata, order: sortOrder(this.tsNs) };
  }

  memoryBytes(): number {
    return this.lineBytes.length + this.count * ENTRY_OVERHEAD_BYTES + this.metadataBytes * 2;
  }
}

/** The open chunk of one stream. */
export class StreamChunk {
  private head = new HeadBlock();
  private closed: EncodedBlock[] = [];
  private closedCompressed = 0;
  private closedUncompressed = 0;
  private closedEntries = 0;
  private first: number | null = null;
  private last: number | null = null;
  private minTs: bigint | null = null;
  private maxTs: bigint | null = null;

  constructor(readonly config: StreamChunkConfig) {
    if (!(config.blockSizeBytes > 0)) throw new FjordError('invalid_argument', 'blockSizeBytes must be positive');
  }

  /**
   * Add an entry at `appendMs` (the caller's clock). The line is copied. Cuts the head into a
   * block once it holds `blockSizeBytes`.
   */
  append(entry: PushEntry, appendMs: number): AppendOutcome {
    if (this.head.isDuplicate(entry)) return 'duplicate';
    this.head.add(entry);
    if (this.first === null) this.first = appendMs;
    this.last = appendMs;
    if (this.minTs === null || entry.tsNs < this.minTs) this.minTs = entry.tsNs;
    if (this.maxTs === null || entry.tsNs > this.maxTs) this.maxTs = entry.tsNs;
    if (this.head.sizeBytes >= this.config.blockSizeBytes) this.cutBlock();
    return 'appended';
  }

  /** Close the head into a compressed block (a no-op when the head is empty). */
  cutBlock(): void {
    if (this.head.count === 0) return;
    const block = encodeBlock(this.head.source(), this.config.codec);
    this.closed.push(block);
    this.closedCompressed += block.compressed.length;
    this.closedUncompressed += block.uncompressedBytes;
    this.closedEntries += block.entries;
    this.head = new HeadBlock();
  }

  /** Entries in the chunk (closed blocks and head). */
  get entries(): number {
    return this.closedEntries + this.head.count;
  }

  /** True when nothing has been appended since the last cut. */
  get isEmpty(): boolean {
    return this.entries === 0;
  }

  /** Compressed bytes of the closed blocks (the cut policy's `chunk_target_size` compares this). */
  get compressedBytes(): number {
    return this.closedCompressed;
  }

  /** Uncompressed bytes: closed blocks' layouts plus the head's lines and metadata. */
  get uncompressedBytes(): number {
    return this.closedUncompressed + this.head.sizeBytes;
  }

  /** Lines and metadata bytes in the head block. */
  get headBytes(): number {
    return this.head.sizeBytes;
  }

  /** Closed blocks so far. */
  get blockCount(): number {
    return this.closed.length;
  }

  /** The caller's time of the first and the last append since the last cut; null when empty. */
  get firstAppendMs(): number | null {
    return this.first;
  }

  get lastAppendMs(): number | null {
    return this.last;
  }

  /** Smallest and largest entry timestamp, ns; null when empty. */
  get minTsNs(): bigint | null {
    return this.minTs;
  }

  get maxTsNs(): bigint | null {
    return this.maxTs;
  }

  /** An estimate of the memory held: closed blocks, the head's buffer and per-entry overhead. */
  get memoryBytes(): number {
    return this.closedCompressed + this.closed.length * 128 + this.head.memoryBytes();
  }

  /** The closed blocks, compressed, in cut order. */
  get closedBlocks(): readonly EncodedBlock[] {
    return this.closed;
  }

  /**
   * The chunk's blocks decoded, in cut order, the head last (sorted, uncompressed): for serving
   * data not yet flushed. With a range, only blocks with an entry in `[startNs, endNs)`.
   */
  blocks(startNs?: bigint, endNs?: bigint): DecodedBlock[] {
    const overlaps = (min: bigint, max: bigint): boolean => (endNs === undefined || min < endNs) && (startNs === undefined || max >= startNs);
    const out: DecodedBlock[] = [];
    for (const b of this.closed) if (overlaps(b.minTsNs, b.maxTsNs)) out.push(decodeBlock(b.compressed, this.config.codec, b));
    if (this.head.count > 0 && overlaps(this.head.minTsNs, this.head.maxTsNs)) out.push(decodeBlockPayload(encodeBlockPayload(this.head.source())));
    return out;
  }

  /** Entries with a timestamp in `[startNs, endNs)` in timestamp order (equal timestamps in append order). */
  entriesInRange(startNs: bigint, endNs: bigint, direction: 'forward' | 'backward' = 'forward'): Generator<BlockEntry> {
    return mergeBlockEntries(this.blocks(startNs, endNs), startNs, endNs, direction);
  }

  /**
   * Finish the chunk: cut the head, encode the chunk with its key, and start empty again. Throws
   * FjordError('invalid_argument') when there is nothing to cut.
   */
  cut(): CutChunk {
    if (this.isEmpty) throw new FjordError('invalid_argument', 'cannot cut an empty chunk');
    this.cutBlock();
    const c = this.config;
    const chunk = encodeChunk({ tenant: c.tenant, labels: c.labels, fingerprint: c.fingerprint, encoding: c.codec.encoding }, this.closed);
    const key = chunkKey({ tenant: c.tenant, fingerprint: c.fingerprint, fromNs: chunk.header.fromNs, throughNs: chunk.header.throughNs, checksum: chunk.checksum });
    this.closed = [];
    this.closedCompressed = 0;
    this.closedUncompressed = 0;
    this.closedEntries = 0;
    this.first = null;
    this.last = null;
    this.minTs = null;
    this.maxTs = null;
    return { ...chunk, key };
  }
}
