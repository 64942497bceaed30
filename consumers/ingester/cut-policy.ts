/**
 * When a stream's chunk is cut and flushed, as Loki's `shouldFlushChunk`: full (compressed size
 * reached chunk_target_size), idle (no append for chunk_idle_period), max_age (its entries span
 * more than max_chunk_age). Other reasons come from outside: an explicit flush, shutdown, memory
 * pressure, or the partition moving to another ingester. Pure.
 */

/** Why a chunk was cut; the `reason` label of loki_ingester_chunks_flushed_total. */
export type CutReason = 'full' | 'max_age' | 'idle' | 'flush' | 'shutdown' | 'memory' | 'not_owned';

/** What the policy looks at. */
export interface ChunkStats {
  readonly compressedBytes: number;
  readonly entries: number;
  readonly minTsNs: bigint;
  readonly maxTsNs: bigint;
  readonly lastAppendMs: number;
}

/** The cut settings (Loki's names). */
export interface CutConfig {
  readonly chunk_target_size: number;
  readonly max_chunk_age: number;
  readonly chunk_idle_period: number;
}

/** The reason to cut now, or null to keep appending. */
export function cutReason(s: ChunkStats, cfg: CutConfig, nowMs: number): CutReason | null {
  if (s.entries === 0) return null;
  if (s.compressedBytes >= cfg.chunk_target_size) return 'full';
  if (nowMs - s.lastAppendMs >= cfg.chunk_idle_period) return 'idle';
  if (s.maxTsNs - s.minTsNs > BigInt(cfg.max_chunk_age) * 1_000_000n) return 'max_age';
  return null;
}

/**
 * Whether an entry is too far behind its stream's newest to be accepted (Loki's unordered-writes
 * window: newest − max_chunk_age/2). Replayed entries are never refused (Loki's `isReplay`).
 */
export function isTooFarBehind(tsNs: bigint, newestTsNs: bigint | null, maxChunkAgeMs: number, replaying: boolean): boolean {
  if (replaying || newestTsNs === null) return false;
  return tsNs < newestTsNs - (BigInt(maxChunkAgeMs) * 1_000_000n) / 2n;
}
