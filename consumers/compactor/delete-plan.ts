/**
 * What processing delete requests does to the index and the chunks, decided purely: which pieces
 * are due (past `delete_request_cancel_period`, the tenant in `filter-and-delete` mode), what
 * becomes of each chunk ref (kept, dropped whole, or rewritten without the deleted entries), the
 * rewritten chunk, and a table with its replaced refs. As Loki's compactor: a request without a
 * line filter that covers a whole chunk drops it; otherwise the chunk is rewritten without the
 * entries the request selects (its time range, its stream matchers, its line filters).
 */
import type { Codec, CodecSet } from '../../schemas/index.js';
import {
  encodeBlock, encodeChunk, sortOrder, type DecodedBlock, type DecodedChunk, type EncodedBlock, type EncodedChunk,
} from '../../schemas/chunk/index.js';
import {
  INDEX_PERIOD_NS, chunkKey, inDeleteInterval, type ChunkRef, type DeleteInterval, type IndexBundleInput,
} from '../../schemas/index/index.js';
import type { CompiledLogSelector, Labels } from '../../schemas/labels/index.js';
import type { StoredDeleteRequest } from '../../platform/index.js';

/** One piece of a delete request to apply. */
export interface DeletePiece {
  readonly requestId: string;
  readonly tenant: string;
  readonly query: string;
  readonly shard: number;
  readonly interval: DeleteInterval;
  readonly createdAtMs: number;
}

/** A piece with its query compiled. */
export interface ActiveDelete extends DeletePiece {
  readonly selector: CompiledLogSelector;
}

/** Loki waits a minute past the cancel period, so a cancel racing the pick-up wins. */
const CANCEL_RACE_MS = 60_000;

/** Unprocessed pieces whose request is past its cancel period, of tenants whose mode deletes, by start time. */
export function duePieces(
  requests: readonly StoredDeleteRequest[],
  nowMs: number,
  cancelPeriodMs: number,
  deletesFromStore: (tenant: string) => boolean,
): DeletePiece[] {
  const out: DeletePiece[] = [];
  for (const { request: r, processed } of requests) {
    if (r.createdAtMs + cancelPeriodMs + CANCEL_RACE_MS > nowMs || !deletesFromStore(r.tenant)) continue;
    r.shards.forEach((interval, shard) => {
      if (!processed.has(shard)) out.push({ requestId: r.requestId, tenant: r.tenant, query: r.query, shard, interval, createdAtMs: r.createdAtMs });
    });
  }
  return out.sort((a, b) => a.interval.startMs - b.interval.startMs || (a.requestId < b.requestId ? -1 : 1) || a.shard - b.shard);
}

function intervalNs(i: DeleteInterval): { startNs: bigint; endNs: bigint } {
  return { startNs: BigInt(i.startMs) * 1_000_000n, endNs: BigInt(i.endMs) * 1_000_000n + 999_999n };
}

/** What becomes of a chunk ref. */
export type RefAction =
  | { readonly kind: 'keep' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'rewrite'; readonly deletes: readonly ActiveDelete[] };

/** The action for a ref of a series with `labels`. */
export function refAction(labels: Labels, ref: Pick<ChunkRef, 'fromNs' | 'throughNs'>, deletes: readonly ActiveDelete[]): RefAction {
  const applicable: ActiveDelete[] = [];
  for (const d of deletes) {
    const { startNs, endNs } = intervalNs(d.interval);
    if (ref.fromNs > endNs || ref.throughNs < startNs || !d.selector.matchesStream(labels)) continue;
    if (!d.selector.hasLineFilter && startNs <= ref.fromNs && ref.throughNs <= endNs) return { kind: 'drop' };
    applicable.push(d);
  }
  return applicable.length === 0 ? { kind: 'keep' } : { kind: 'rewrite', deletes: applicable };
}

/** True when some delete selects entry `i` of a block of a stream with `labels`. */
export function isDeleted(block: DecodedBlock, i: number, labels: Labels, deletes: readonly ActiveDelete[]): boolean {
  const ts = block.tsNs[i] as bigint;
  for (const d of deletes) {
    if (!inDeleteInterval(ts, d.interval)) continue;
    if (!d.selector.hasLineFilter || d.selector.selectsLine(labels, ts, block.line(i), block.structuredMetadata(i))) return true;
  }
  return false;
}

function rebuildBlock(block: DecodedBlock, kept: readonly number[], codec: Codec): EncodedBlock {
  const tsNs = kept.map((i) => block.tsNs[i] as bigint);
  const lineBounds = new Uint32Array(kept.length + 1);
  kept.forEach((i, j) => (lineBounds[j + 1] = (lineBounds[j] as number) + block.line(i).length));
  const lineBytes = new Uint8Array(lineBounds[kept.length] as number);
  kept.forEach((i, j) => lineBytes.set(block.line(i), lineBounds[j]));
  return encodeBlock({ tsNs, lineBytes, lineBounds, structuredMetadata: kept.map((i) => block.structuredMetadata(i)), order: sortOrder(tsNs) }, codec);
}

/** A chunk after its deleted entries are taken out. */
export type ChunkRewrite =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'empty'; readonly deletedLines: number }
  | { readonly kind: 'rewritten'; readonly chunk: EncodedChunk; readonly deletedLines: number };

/** Rewrite a decoded chunk without the entries `deletes` select, blocks kept as they were cut. */
export function rewriteChunk(chunk: DecodedChunk, labels: Labels, deletes: readonly ActiveDelete[], codecs: CodecSet): ChunkRewrite {
  const codec = codecs[chunk.header.encoding];
  const blocks: EncodedBlock[] = [];
  let deletedLines = 0;
  for (const block of chunk.blocks) {
    const kept: number[] = [];
    for (let i = 0; i < block.count; i++) if (!isDeleted(block, i, labels, deletes)) kept.push(i);
    deletedLines += block.count - kept.length;
    if (kept.length > 0) blocks.push(rebuildBlock(block, kept, codec));
  }
  if (deletedLines === 0) return { kind: 'unchanged' };
  if (blocks.length === 0) return { kind: 'empty', deletedLines };
  const h = chunk.header;
  return { kind: 'rewritten', chunk: encodeChunk({ tenant: h.tenant, labels: h.labels, fingerprint: h.fingerprint, encoding: h.encoding }, blocks), deletedLines };
}

/** The object key of a ref of `tenant`. */
export function refKey(tenant: string, ref: ChunkRef): string {
  return chunkKey({ tenant, fingerprint: ref.fingerprint, fromNs: ref.fromNs, throughNs: ref.throughNs, checksum: ref.checksum });
}

function overlapsPeriod(ref: ChunkRef, period: number): boolean {
  const start = BigInt(period) * INDEX_PERIOD_NS;
  return ref.fromNs < start + INDEX_PERIOD_NS && ref.throughNs >= start;
}

/**
 * A table with its replaced refs: a ref whose chunk key is in `replaced` gives way to the new ref
 * (when it still overlaps the table's period) or goes (null); series left without refs go too.
 * `changed` is false when no ref of the table was replaced.
 */
export function replaceRefs(input: IndexBundleInput, replaced: ReadonlyMap<string, ChunkRef | null>): { output: IndexBundleInput; changed: boolean } {
  let changed = false;
  const chunks: ChunkRef[] = [];
  for (const ref of input.chunks) {
    const key = refKey(input.tenant, ref);
    if (!replaced.has(key)) {
      chunks.push(ref);
      continue;
    }
    changed = true;
    const next = replaced.get(key);
    if (next && overlapsPeriod(next, input.period)) chunks.push(next);
  }
  if (!changed) return { output: input, changed };
  const live = new Set(chunks.map((c) => c.fingerprint));
  return { output: { ...input, series: input.series.filter((s) => live.has(s.fingerprint)), chunks }, changed };
}
