/**
 * The partitions an ingester owns, each with its streams, patterns and catch-up state, and what
 * queries read from them: recent chunks, series and patterns, and which partitions cannot answer.
 */
import type { Codec } from '../../schemas/index.js';
import type { Labels, Shard } from '../../schemas/labels/index.js';
import type { PartitionPatterns, StreamPatternSeries } from '../patterns/index.js';
import { notCaughtUpReason, type CatchUp } from './catch-up.js';
import type { PartitionIngest } from './partition-ingest.js';
import { recentChunks, recentSeries, type EqualityMatchers } from './recent-data.js';

/** A partition this ingester owns. */
export interface Owned {
  readonly ingest: PartitionIngest;
  /** The partition's stream patterns (pattern_ingester.enabled), dropped with the partition. */
  readonly patterns: PartitionPatterns | null;
  catchUp: CatchUp;
  committed: number;
}

/** Owned partitions by number. */
export class OwnedPartitions extends Map<number, Owned> {
  constructor(
    /** The codec recent chunks are sent with (uncompressed: they stay on loopback or in-zone). */
    private readonly chunkCodec: Codec,
    /** pattern_ingester.pattern_sample_interval: no pattern step is finer. */
    private readonly patternSampleMs: number,
  ) {
    super();
  }

  /** Partition numbers, ascending. */
  numbers(): number[] {
    return [...this.keys()].sort((a, b) => a - b);
  }

  /** Bytes held in memory by every owned partition. */
  memoryBytes(): number {
    let n = 0;
    for (const o of this.values()) n += o.ingest.memoryBytes();
    return n;
  }

  /** Chunks of recent data for a query, from the requested partitions (all owned when empty), of the streams in `shard` when given. */
  recentChunks(tenant: string, matchers: EqualityMatchers, startNs: bigint, endNs: bigint, partitions: readonly number[], shard: Shard | null): Uint8Array[] {
    return recentChunks(this.ingests(partitions), tenant, matchers, startNs, endNs, shard, this.chunkCodec);
  }

  /** Series of recent data for a query. */
  recentSeries(tenant: string, matchers: EqualityMatchers, startNs: bigint, endNs: bigint, partitions: readonly number[]): Labels[] {
    return recentSeries(this.ingests(partitions), tenant, matchers, startNs, endNs);
  }

  /** Pattern series of the matching streams in [startNs, endNs) by `stepNs`; empty when pattern detection is off. */
  recentPatterns(tenant: string, matchers: EqualityMatchers, startNs: bigint, endNs: bigint, stepNs: bigint, partitions: readonly number[]): StreamPatternSeries[] {
    const out: StreamPatternSeries[] = [];
    const fromMs = Number(startNs / 1_000_000n);
    const throughMs = Number(endNs / 1_000_000n);
    // As Loki's pattern instance: no step finer than the sample resolution.
    const stepMs = Math.max(Number(stepNs / 1_000_000n), this.patternSampleMs);
    for (const p of partitions.length === 0 ? this.keys() : partitions) {
      const patterns = this.get(p)?.patterns;
      if (patterns) out.push(...patterns.series(tenant, matchers, fromMs, throughMs, stepMs));
    }
    return out;
  }

  /** Of `partitions`, those that cannot be answered for, each with why: not owned, or not caught up. */
  unserved(partitions: readonly number[]): Array<{ partition: number; why: string }> {
    const out: Array<{ partition: number; why: string }> = [];
    for (const p of partitions) {
      const o = this.get(p);
      const why = o === undefined ? 'not owned' : notCaughtUpReason(o.catchUp, o.ingest.nextOffset);
      if (why !== null) out.push({ partition: p, why });
    }
    return out;
  }

  private *ingests(partitions: readonly number[]): Iterable<PartitionIngest> {
    if (partitions.length === 0) {
      for (const o of this.values()) yield o.ingest;
      return;
    }
    for (const p of partitions) {
      const o = this.get(p);
      if (o) yield o.ingest;
    }
  }
}
