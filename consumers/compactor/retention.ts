/**
 * Retention decisions, as Loki's compactor makes them with `retention_enabled`: a chunk is past
 * retention when its last entry is older than now − its stream's retention period (its
 * `retention_stream` rule, else the tenant's `retention_period`; 0 keeps everything,
 * stream-retention.ts); its refs leave the index at once, and its object is deleted
 * `retention_delete_delay` after the mark naming it was written. Pure.
 */
import {
  INDEX_PERIOD_NS, chunkKey, type ChunkRef, type IndexBundleInput, type RetentionMarkKeyParts, type SeriesEntry,
} from '../../schemas/index/index.js';
import type { Labels } from '../../schemas/labels/index.js';

/** A retention cutoff in ns for every stream, or one per stream's labels (`retention_stream`); null keeps data. */
export type RetentionCutoff = bigint | null | ((labels: Labels) => bigint | null);

/** First nanosecond of an index period. */
export function periodStartNs(period: number): bigint {
  return BigInt(period) * INDEX_PERIOD_NS;
}

/**
 * True when some chunk of `period` may be past the cutoff: chunks indexed in a period start before
 * its end, but may end after it, so only periods starting at or after the cutoff are surely kept.
 */
export function periodMayExpire(period: number, cutoffNs: bigint | null): boolean {
  return cutoffNs !== null && periodStartNs(period) < cutoffNs;
}

/** A bundle's content split by the cutoff. */
export interface RetentionSplit {
  /** Series that keep at least one ref, and the refs kept. */
  readonly kept: IndexBundleInput;
  /** Refs past retention. */
  readonly expired: readonly ChunkRef[];
}

/** Split a bundle's refs at the cutoff (of each ref's series); series left without refs are dropped with them. Null cutoff keeps all. */
export function applyRetention(input: IndexBundleInput, cutoffNs: RetentionCutoff): RetentionSplit {
  if (cutoffNs === null) return { kept: input, expired: [] };
  let cutoffOf: (fingerprint: string) => bigint | null = () => cutoffNs as bigint;
  if (typeof cutoffNs === 'function') {
    const bySeries = new Map(input.series.map((s) => [s.fingerprint, cutoffNs(s.labels)]));
    cutoffOf = (fp) => bySeries.get(fp) ?? null;
  }
  const chunks: ChunkRef[] = [];
  const expired: ChunkRef[] = [];
  for (const c of input.chunks) {
    const cutoff = cutoffOf(c.fingerprint);
    (cutoff !== null && c.throughNs < cutoff ? expired : chunks).push(c);
  }
  if (expired.length === 0) return { kept: input, expired };
  const live = new Set(chunks.map((c) => c.fingerprint));
  const series: SeriesEntry[] = input.series.filter((s) => live.has(s.fingerprint));
  return { kept: { period: input.period, tenant: input.tenant, series, chunks }, expired };
}

/** Object keys of expired refs, each once, sorted. */
export function expiredChunkKeys(tenant: string, refs: readonly ChunkRef[]): string[] {
  const keys = new Set<string>();
  for (const r of refs) keys.add(chunkKey({ tenant, fingerprint: r.fingerprint, fromNs: r.fromNs, throughNs: r.throughNs, checksum: r.checksum }));
  return [...keys].sort();
}

/** The smallest through of the refs, or null for none (a bundle with none needs no retention check). */
export function minThroughNs(refs: readonly ChunkRef[]): bigint | null {
  let min: bigint | null = null;
  for (const r of refs) if (min === null || r.throughNs < min) min = r.throughNs;
  return min;
}

/**
 * The marks whose chunks may be deleted now (written at least `delayMs` ago), in mark order. Marks
 * are listed in key order, which is mark-time order, so the caller may stop listing at the first
 * one not due.
 */
export function marksDue<T extends RetentionMarkKeyParts>(marks: readonly T[], nowMs: number, delayMs: number): T[] {
  return marks.filter((m) => m.markedAtMs + delayMs <= nowMs).sort((a, b) => a.markedAtMs - b.markedAtMs);
}

