/**
 * The streams a query reads, from both sources: the store (through the index bundles) and the
 * ingesters (their recent data), joined by stream labels; each stream is handed over with all of
 * its blocks in range, a few streams at a time, so memory follows the streams in flight. A request
 * for one shard keeps only the streams whose fingerprint falls in it, before any chunk is fetched;
 * both sources carry the same fingerprint of a stream (FNV-1a 64 of its canonical label text), so
 * a stream's store and ingester halves always land in the same shard.
 */
import type { CodecSet } from '../../schemas/index.js';
import {
  formatLabels, isInShard, parseLabelText, sortLabels, type Labels, type Shard,
} from '../../schemas/labels/index.js';
import {
  blockBytes, chunkBlocksOverlapping, decodeBlock, decodeChunkHeader, readBlockTable, type DecodedBlock,
} from '../../schemas/chunk/index.js';
import type { IndexMatcher } from '../../schemas/index/index.js';
import { mapLimit } from '../../platform/index.js';
import type { StreamBlocks } from '../engine/entry-block.js';
import type { QueryStats } from '../engine/query-backend.js';
import type { IngesterClient } from './ingester-client.js';
import type { StoreReader, StoredStream } from './store-reader.js';

/** How many streams are fetched and processed at once. */
const STREAM_CONCURRENCY = 8;

/** Where a query's streams come from. */
export interface SourceRequest {
  readonly tenant: string;
  /** Alternatives: a stream matches if it matches every matcher of one group; empty: every stream. */
  readonly groups: readonly (readonly IndexMatcher[])[];
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly nowNs: bigint;
  /** Only streams in this shard; null: every stream. */
  readonly shard: Shard | null;
}

/** True when the labels satisfy every matcher of one group (or there are no groups). */
export function matchesAny(labels: Labels, groups: readonly (readonly IndexMatcher[])[]): boolean {
  if (groups.length === 0) return true;
  return groups.some((g) => g.every((m) => m.matches(labels.find((l) => l.name === m.name)?.value ?? '')));
}

/** Equality matchers every group shares (the ingesters pre-filter on them; the rest is applied here). */
export function sharedEqualities(groups: readonly (readonly IndexMatcher[])[]): Array<readonly [string, string]> {
  if (groups.length !== 1) return [];
  return (groups[0] as readonly IndexMatcher[]).filter((m) => m.type === '=').map((m) => [m.name, m.value] as const);
}

/** One stream's volume: its chunks, entries and uncompressed bytes in a range. */
export interface StreamVolumeCount {
  labels: Labels;
  chunks: number;
  entries: number;
  bytes: number;
}

interface RecentStream {
  labels: Labels;
  blocks: DecodedBlock[];
}

/** Joins the store and the ingesters for a querier. */
export class StreamSource {
  constructor(
    private readonly store: StoreReader,
    private readonly ingesters: IngesterClient,
    private readonly codecs: CodecSet,
  ) {}

  private async recent(r: SourceRequest, stats: QueryStats, signal: AbortSignal, missing: Set<number> | undefined): Promise<Map<string, RecentStream>> {
    const out = new Map<string, RecentStream>();
    if (!this.ingesters.covers(r.endNs, r.nowNs)) return out;
    const chunks = await this.ingesters.chunks({ tenant: r.tenant, matchers: sharedEqualities(r.groups), startNs: r.startNs, endNs: r.endNs, shard: r.shard }, stats, signal, missing);
    for (const bytes of chunks) {
      const header = decodeChunkHeader(bytes);
      if (header.tenant !== r.tenant || (r.shard !== null && !isInShard(header.fingerprint, r.shard))) continue;
      let stream = out.get(header.labels);
      if (!stream) {
        const labels = sortLabels(parseLabelText(header.labels));
        if (!matchesAny(labels, r.groups)) continue;
        stream = { labels, blocks: [] };
        out.set(header.labels, stream);
      }
      const codec = this.codecs[header.encoding];
      for (const b of chunkBlocksOverlapping(readBlockTable(bytes, header), r.startNs, r.endNs)) {
        stream.blocks.push(decodeBlock(blockBytes(bytes, b), codec, b));
        stats.ingesterLinesSent += b.entries;
      }
    }
    return out;
  }

  /**
   * Visit every matching stream with its blocks in [startNs, endNs). With `missing` given, a
   * partition no caught-up ingester serves is added to it (when partial answers are allowed,
   * IngesterClient.chunks) instead of failing the query.
   */
  async forEachStream(r: SourceRequest, stats: QueryStats, signal: AbortSignal, visit: (s: StreamBlocks) => void, missing?: Set<number>): Promise<void> {
    const [stored, recent] = await Promise.all([
      this.store.select(r.tenant, r.groups, r.startNs, r.endNs, r.nowNs, stats, signal),
      this.recent(r, stats, signal, missing),
    ]);
    const byKey = new Map<string, { labels: Labels; stored: StoredStream | null; recent: RecentStream | null }>();
    for (const [fingerprint, s] of stored) {
      if (r.shard === null || isInShard(fingerprint, r.shard)) byKey.set(formatLabels(s.labels), { labels: s.labels, stored: s, recent: null });
    }
    for (const [key, s] of recent) {
      const hit = byKey.get(key);
      if (hit) hit.recent = s;
      else byKey.set(key, { labels: s.labels, stored: null, recent: s });
    }
    await mapLimit([...byKey], STREAM_CONCURRENCY, async ([key, s]) => {
      const blocks: DecodedBlock[] = s.recent ? [...s.recent.blocks] : [];
      if (s.stored) for (const list of await this.store.blocks(s.stored.refs, r.startNs, r.endNs, stats, signal)) blocks.push(...list);
      if (blocks.length > 0) visit({ labels: s.labels, key, blocks });
    });
  }

  /**
   * Chunks, entries and uncompressed bytes of each matching stream in [startNs, endNs): the index's
   * chunk refs plus the ingesters' chunks not yet in a shipped index (Loki's volume asks both).
   */
  async volumes(r: SourceRequest, stats: QueryStats, signal: AbortSignal): Promise<StreamVolumeCount[]> {
    const out = new Map<string, StreamVolumeCount>();
    for (const v of await this.store.volumes(r.tenant, r.groups, r.startNs, r.endNs, r.nowNs, stats, signal)) out.set(formatLabels(v.labels), { ...v });
    if (!this.ingesters.covers(r.endNs, r.nowNs)) return [...out.values()];
    const chunks = await this.ingesters.chunks({ tenant: r.tenant, matchers: sharedEqualities(r.groups), startNs: r.startNs, endNs: r.endNs, shard: null }, stats, signal);
    for (const bytes of chunks) {
      const header = decodeChunkHeader(bytes);
      if (header.tenant !== r.tenant) continue;
      let v = out.get(header.labels);
      if (v === undefined) {
        const labels = sortLabels(parseLabelText(header.labels));
        if (!matchesAny(labels, r.groups)) continue;
        out.set(header.labels, (v = { labels, chunks: 0, entries: 0, bytes: 0 }));
      }
      v.chunks++;
      v.entries += header.entries;
      v.bytes += header.uncompressedBytes;
    }
    return [...out.values()];
  }

  /** Label sets of the matching streams with data in [startNs, endNs), from the index and the ingesters. */
  async series(r: SourceRequest, stats: QueryStats, signal: AbortSignal): Promise<Labels[]> {
    const out = new Map<string, Labels>();
    const stored = await this.store.select(r.tenant, r.groups, r.startNs, r.endNs, r.nowNs, stats, signal);
    for (const s of stored.values()) out.set(formatLabels(s.labels), s.labels);
    if (this.ingesters.covers(r.endNs, r.nowNs)) {
      const texts = await this.ingesters.series({ tenant: r.tenant, matchers: sharedEqualities(r.groups), startNs: r.startNs, endNs: r.endNs, shard: null }, stats, signal);
      for (const text of texts) {
        if (out.has(text)) continue;
        const labels = sortLabels(parseLabelText(text));
        if (matchesAny(labels, r.groups)) out.set(text, labels);
      }
    }
    return [...out.values()];
  }
}
