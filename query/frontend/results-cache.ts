/**
 * The results cache of metric query pieces (Loki's `query_range.cache_results`): a piece's
 * matrix is stored under (tenants, query, step, piece bounds) once the piece is older than
 * `max_cache_freshness_per_query` (newer data may still change), and served from there the next
 * time the same piece is asked for. The in-memory cache is bounded by bytes and evicts the least
 * recently used pieces; another store (memcached) can implement the same interface.
 */
import type { MetricResult } from '../logql/index.js';

/** A cache of metric piece results. */
export interface ResultsCache {
  get(key: string): Promise<MetricResult | undefined>;
  set(key: string, value: MetricResult): Promise<void>;
}

/** The cache key of a metric piece. */
export function resultsCacheKey(tenantKey: string, query: string, stepNs: bigint, startNs: bigint, endNs: bigint): string {
  return `${tenantKey}:${query}:${stepNs}:${startNs}:${endNs}`;
}

/** True when a piece ending at `pieceEndNs` is old enough to cache (end ≤ now − max freshness). */
export function isCacheable(pieceEndNs: bigint, nowMs: number, maxFreshnessMs: number): boolean {
  return pieceEndNs <= BigInt(nowMs - maxFreshnessMs) * 1_000_000n;
}

/** Approximate bytes a result holds in memory. */
export function resultBytes(r: MetricResult): number {
  const labelBytes = (l: ReadonlyArray<{ name: string; value: string }>): number => l.reduce((n, x) => n + 2 * (x.name.length + x.value.length) + 32, 0);
  switch (r.resultType) {
    case 'matrix': return r.result.reduce((n, s) => n + labelBytes(s.metric) + 32 * s.values.length + 64, 64);
    case 'vector': return r.result.reduce((n, s) => n + labelBytes(s.metric) + 48, 64);
    case 'scalar': return 64;
  }
}

/** A byte-bounded, least-recently-used in-memory results cache. */
export class InMemoryResultsCache implements ResultsCache {
  private readonly entries = new Map<string, { value: MetricResult; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Bytes held. */
  get size(): number {
    return this.bytes;
  }

  async get(key: string): Promise<MetricResult | undefined> {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  async set(key: string, value: MetricResult): Promise<void> {
    const bytes = resultBytes(value) + 2 * key.length;
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }
}
