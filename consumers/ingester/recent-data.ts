/**
 * What an ingester answers for data not yet findable in the shipped index: for the streams of a
 * tenant that match the given equality matchers (the querier applies the full selector) and, for
 * a sharded query, whose fingerprint falls in the shard, every pending chunk overlapping the range
 * as it is, and the open chunk re-encoded uncompressed. Pure.
 */
import type { Codec } from '../../schemas/index.js';
import { isInShard, type Label, type Labels, type Shard } from '../../schemas/labels/index.js';
import { encodeBlock, encodeChunk, type DecodedBlock } from '../../schemas/chunk/index.js';
import type { PartitionIngest } from './partition-ingest.js';
import type { StreamHold } from './stream-hold.js';

/** Equality matchers a stream's labels must all satisfy (`name=value`; value '' means absent). */
export type EqualityMatchers = ReadonlyArray<readonly [name: string, value: string]>;

function matches(labels: Labels, matchers: EqualityMatchers): boolean {
  for (const [name, value] of matchers) {
    const l = labels.find((x) => x.name === name);
    if ((l?.value ?? '') !== value) return false;
  }
  return true;
}

function openChunkBytes(hold: StreamHold, startNs: bigint, endNs: bigint, none: Codec): Uint8Array | null {
  if (hold.chunk.isEmpty) return null;
  const blocks: DecodedBlock[] = hold.chunk.blocks(startNs, endNs);
  if (blocks.length === 0) return null;
  const encoded = blocks.map((b) => {
    const sm: (readonly Label[])[] = [];
    for (let i = 0; i < b.count; i++) sm.push(b.hasStructuredMetadata ? b.structuredMetadata(i) : []);
    const order = Uint32Array.from({ length: b.count }, (_, i) => i);
    return encodeBlock({ tsNs: b.tsNs, lineBytes: b.text, lineBounds: b.bounds, structuredMetadata: sm, order }, none);
  });
  return encodeChunk({ tenant: hold.tenant, labels: hold.labelsText, fingerprint: hold.fingerprint, encoding: 'none' }, encoded).bytes;
}

/** Chunk objects holding the matching streams' data in [startNs, endNs) from the given partitions; only streams in `shard` when given. */
export function recentChunks(
  partitions: Iterable<PartitionIngest>,
  tenant: string,
  matchers: EqualityMatchers,
  startNs: bigint,
  endNs: bigint,
  shard: Shard | null,
  none: Codec,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of partitions) {
    for (const hold of p.holds()) {
      if (hold.tenant !== tenant || !matches(hold.labels, matchers)) continue;
      if (shard !== null && !isInShard(hold.fingerprint, shard)) continue;
      for (const pc of hold.pending) {
        const h = pc.chunk.header;
        if (h.fromNs < endNs && h.throughNs >= startNs) out.push(pc.chunk.bytes);
      }
      const open = openChunkBytes(hold, startNs, endNs, none);
      if (open) out.push(open);
    }
  }
  return out;
}

/** Label sets of the matching streams held in the given partitions with data in [startNs, endNs). */
export function recentSeries(partitions: Iterable<PartitionIngest>, tenant: string, matchers: EqualityMatchers, startNs: bigint, endNs: bigint): Labels[] {
  const out = new Map<string, Labels>();
  for (const p of partitions) {
    for (const hold of p.holds()) {
      if (hold.tenant !== tenant || !matches(hold.labels, matchers) || out.has(hold.labelsText)) continue;
      const c = hold.chunk;
      const open = !c.isEmpty && c.minTsNs !== null && c.maxTsNs !== null && c.minTsNs < endNs && c.maxTsNs >= startNs;
      const pending = hold.pending.some((pc) => pc.chunk.header.fromNs < endNs && pc.chunk.header.throughNs >= startNs);
      if (open || pending) out.set(hold.labelsText, hold.labels);
    }
  }
  return [...out.values()];
}
