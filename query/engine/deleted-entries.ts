/**
 * Leaving deleted entries out of a query's streams: until the compactor has rewritten the chunks
 * a delete request selects (and for a while after, until every querier has the new index), the
 * querier drops the entries the request names, from the store's chunks and the ingesters' recent
 * data alike, before LogQL sees them (Loki's query-time filtering of delete requests). Pure.
 */
import { inDeleteInterval, type DeleteInterval } from '../../schemas/index/index.js';
import type { CompiledLogSelector, Labels } from '../../schemas/labels/index.js';
import { lineOf, type EntryBlock, type StreamBlocks } from './entry-block.js';

/** A delete request (or piece) as the querier applies it. */
export interface QueryDelete {
  readonly interval: DeleteInterval;
  readonly selector: CompiledLogSelector;
}

/** The deletes that may touch [startNs, endNs). */
export function deletesInRange(deletes: readonly QueryDelete[], startNs: bigint, endNs: bigint): QueryDelete[] {
  return deletes.filter((d) => BigInt(d.interval.startMs) * 1_000_000n < endNs && BigInt(d.interval.endMs) * 1_000_000n + 999_999n >= startNs);
}

class FilteredBlock implements EntryBlock {
  readonly count: number;
  readonly tsNs: BigInt64Array;
  readonly text: Uint8Array;
  readonly bounds: Uint32Array;
  readonly hasStructuredMetadata: boolean;

  constructor(private readonly inner: EntryBlock, private readonly kept: Uint32Array) {
    this.count = kept.length;
    this.tsNs = new BigInt64Array(kept.length);
    this.bounds = new Uint32Array(kept.length + 1);
    let bytes = 0;
    kept.forEach((i, j) => {
      this.tsNs[j] = inner.tsNs[i] as bigint;
      bytes += (inner.bounds[i + 1] as number) - (inner.bounds[i] as number);
      this.bounds[j + 1] = bytes;
    });
    this.text = Buffer.alloc(bytes);
    kept.forEach((i, j) => this.text.set(lineOf(inner, i), this.bounds[j]));
    this.hasStructuredMetadata = inner.hasStructuredMetadata;
  }

  structuredMetadata(i: number): Labels {
    return this.inner.structuredMetadata(this.kept[i] as number);
  }

  structuredMetadataBytes(i: number): number {
    return this.inner.structuredMetadataBytes(this.kept[i] as number);
  }
}

function isDeleted(block: EntryBlock, i: number, labels: Labels, deletes: readonly QueryDelete[]): boolean {
  const ts = block.tsNs[i] as bigint;
  for (const d of deletes) {
    if (!inDeleteInterval(ts, d.interval)) continue;
    if (!d.selector.hasLineFilter || d.selector.selectsLine(labels, ts, lineOf(block, i), block.structuredMetadata(i))) return true;
  }
  return false;
}

/** The stream without the entries `deletes` select; the same object when they select none of it. */
export function withoutDeleted(stream: StreamBlocks, deletes: readonly QueryDelete[]): StreamBlocks {
  const applicable = deletes.filter((d) => d.selector.matchesStream(stream.labels));
  if (applicable.length === 0) return stream;
  let changed = false;
  const blocks: EntryBlock[] = [];
  for (const block of stream.blocks) {
    const kept: number[] = [];
    for (let i = 0; i < block.count; i++) if (!isDeleted(block, i, stream.labels, applicable)) kept.push(i);
    if (kept.length === block.count) {
      blocks.push(block);
      continue;
    }
    changed = true;
    if (kept.length > 0) blocks.push(new FilteredBlock(block, Uint32Array.from(kept)));
  }
  return changed ? { ...stream, blocks } : stream;
}
