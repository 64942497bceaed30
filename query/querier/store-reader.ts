/**
 * Reading the store for a query: index bundles of the periods the range touches give the matching
 * series and their chunk refs; chunks are fetched (through the chunk cache, at most
 * `max_parallel_get_chunk` at once) and only the blocks overlapping the range are decoded.
 */
import type { CodecSet } from '../../schemas/index.js';
import type { Labels } from '../../schemas/labels/index.js';
import {
  blockBytes, checkBlockCrc, chunkBlocksOverlapping, decodeBlock, decodeDecompressedBlock, decodeChunkHeader,
  readBlockTable, type DecodedBlock,
} from '../../schemas/chunk/index.js';
import {
  indexPeriod, indexPeriodsOverlapping, type ChunkRefWithKey, type IndexMatcher,
} from '../../schemas/index/index.js';
import { mapLimit, type ObjectStore } from '../../platform/index.js';
import type { QueryStats } from '../engine/query-backend.js';
import type { DecompressPool } from './decompress-pool.js';
import type { IndexBundleCache } from './index-cache.js';
import type { LruCache } from './lru-cache.js';

/** A stream found in the index with its chunks in range. */
export interface StoredStream {
  readonly labels: Labels;
  readonly refs: ChunkRefWithKey[];
}

/** The store side of the querier. */
export class StoreReader {
  constructor(
    private readonly store: ObjectStore,
    private readonly codecs: CodecSet,
    private readonly index: IndexBundleCache,
    private readonly chunkCache: LruCache<string, Uint8Array>,
    private readonly maxParallelGetChunk: number,
    /** Decompresses on worker threads; null decompresses on the calling thread. */
    private readonly pool: DecompressPool | null,
    /** Decoded blocks by chunk key and block offset. */
    private readonly blockCache: LruCache<string, DecodedBlock>,
  ) {}

  /** Streams of `tenant` matching any of `groups` (all streams for none) with a chunk in [startNs, endNs), by fingerprint. */
  async select(
    tenant: string,
    groups: readonly (readonly IndexMatcher[])[],
    startNs: bigint,
    endNs: bigint,
    nowNs: bigint,
    stats: QueryStats,
    signal?: AbortSignal,
  ): Promise<Map<string, StoredStream>> {
    const out = new Map<string, StoredStream & { seen: Set<string> }>();
    const current = indexPeriod(nowNs);
    const matcherSets = groups.length === 0 ? [[]] : groups;
    for (const period of indexPeriodsOverlapping(startNs, endNs - 1n)) {
      for (const bundle of await this.index.bundles(tenant, period, current, stats, signal)) {
        for (const matchers of matcherSets) {
          const series = bundle.series(matchers, startNs, endNs);
          if (series.length === 0) continue;
          for (const s of series) if (!out.has(s.fingerprint)) out.set(s.fingerprint, { labels: s.labels, refs: [], seen: new Set() });
          for (const ref of bundle.chunkRefs(series.map((s) => s.fingerprint), startNs, endNs)) {
            const stream = out.get(ref.fingerprint);
            if (!stream || stream.seen.has(ref.key)) continue;
            stream.seen.add(ref.key);
            stream.refs.push(ref);
          }
        }
      }
    }
    return new Map([...out].map(([fp, s]) => [fp, { labels: s.labels, refs: s.refs }]));
  }

  /** Per-series totals of the matching series' chunks in [startNs, endNs), across every bundle (refs counted once). */
  async volumes(
    tenant: string,
    groups: readonly (readonly IndexMatcher[])[],
    startNs: bigint,
    endNs: bigint,
    nowNs: bigint,
    stats: QueryStats,
    signal?: AbortSignal,
  ): Promise<Array<{ labels: Labels; chunks: number; entries: number; bytes: number }>> {
    const streams = await this.select(tenant, groups, startNs, endNs, nowNs, stats, signal);
    return [...streams.values()].map((s) => ({
      labels: s.labels,
      chunks: s.refs.length,
      entries: s.refs.reduce((n, r) => n + r.entries, 0),
      bytes: s.refs.reduce((n, r) => n + r.uncompressedBytes, 0),
    }));
  }

  /** The chunk object, from the cache or the store. */
  private async chunk(key: string, stats: QueryStats, signal?: AbortSignal): Promise<Uint8Array> {
    const hit = this.chunkCache.get(key);
    stats.chunksFetched++;
    if (hit) {
      stats.chunksCacheHits++;
      return hit;
    }
    const bytes = await this.store.get(key, signal);
    stats.chunkBytesFetched += bytes.length;
    // Every block's CRC is checked once, here; blocks of cached chunks are then decoded without it.
    const header = decodeChunkHeader(bytes);
    for (const b of readBlockTable(bytes, header)) checkBlockCrc(blockBytes(bytes, b), b);
    this.chunkCache.set(key, bytes);
    return bytes;
  }

  /** Decoded blocks of `refs` that overlap [startNs, endNs), per ref in input order. */
  async blocks(refs: readonly ChunkRefWithKey[], startNs: bigint, endNs: bigint, stats: QueryStats, signal?: AbortSignal): Promise<DecodedBlock[][]> {
    return mapLimit(refs, this.maxParallelGetChunk, async (ref) => {
      const bytes = await this.chunk(ref.key, stats, signal);
      const header = decodeChunkHeader(bytes);
      const table = readBlockTable(bytes, header);
      const codec = this.codecs[header.encoding];
      const wanted = chunkBlocksOverlapping(table, startNs, endNs);
      const out: Array<DecodedBlock | null> = wanted.map((b) => this.blockCache.get(`${ref.key}@${b.offset}`) ?? null);
      const missing = wanted.filter((_, i) => out[i] === null);
      if (missing.length > 0) {
        let decoded: DecodedBlock[];
        if (this.pool === null || header.encoding === 'none') decoded = missing.map((b) => decodeBlock(blockBytes(bytes, b), codec, b, false, true));
        else {
          const payloads = await this.pool.decompress(header.encoding, missing.map((b) => blockBytes(bytes, b)), missing.map((b) => b.uncompressedBytes));
          decoded = missing.map((b, i) => decodeDecompressedBlock(payloads[i] as Uint8Array, b));
        }
        let j = 0;
        wanted.forEach((b, i) => {
          if (out[i] !== null) return;
          const block = decoded[j++] as DecodedBlock;
          out[i] = block;
          this.blockCache.set(`${ref.key}@${b.offset}`, block);
        });
      }
      return out as DecodedBlock[];
    });
  }
}
