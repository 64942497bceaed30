/**
 * The unit the engine reads: a block of one stream's entries in timestamp order, with its lines
 * concatenated in one buffer (`text`, `bounds`) so leading line filters run over the whole block.
 * Store chunks and the ingesters' recent data both decode into it.
 */
import type { Labels } from '../../schemas/labels/index.js';

/** A block of entries of one stream, sorted by timestamp (a decoded chunk block is one). */
export interface EntryBlock {
  readonly count: number;
  /** Entry timestamps, ascending. */
  readonly tsNs: ArrayLike<bigint>;
  /** All lines, concatenated. */
  readonly text: Uint8Array;
  /** `bounds[i]` is where line i starts in `text`; `bounds[count]` is its end. */
  readonly bounds: ArrayLike<number>;
  /** False when no entry has structured metadata (then it is never decoded). */
  readonly hasStructuredMetadata: boolean;
  structuredMetadata(i: number): Labels;
  /** Bytes of entry i's structured metadata (names plus values, UTF-8). */
  structuredMetadataBytes(i: number): number;
}

/** All blocks of one stream found for a query, from every chunk and ingester. */
export interface StreamBlocks {
  readonly labels: Labels;
  /** The canonical label text, the stream's identity. */
  readonly key: string;
  readonly blocks: readonly EntryBlock[];
}

/** Line i of a block (a view, no copy). */
export function lineOf(block: EntryBlock, i: number): Uint8Array {
  return block.text.subarray(block.bounds[i] as number, block.bounds[i + 1] as number);
}

/** Bytes of structured metadata of entry i (names plus values, UTF-8). */
export function structuredMetadataBytes(block: EntryBlock, i: number): number {
  return block.hasStructuredMetadata ? block.structuredMetadataBytes(i) : 0;
}

/** Index of the first entry with ts ≥ `tsNs` (binary search; blocks are sorted). */
export function lowerBound(block: EntryBlock, tsNs: bigint): number {
  let lo = 0;
  let hi = block.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((block.tsNs[mid] as bigint) < tsNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
