/**
 * Patterns for a querier, from the ingesters' pattern detection (Loki's pattern IngesterQuerier):
 * the range is clamped to the last `pattern_ingester.retain_for` (Loki's
 * query_pattern_ingesters_within), every partition's owner is asked through the recent-data fan-out
 * (zone fail-over, 503 when a partition has no caught-up owner), the full selector is applied to
 * each stream's labels, and the series are merged and pruned as Loki's querier does.
 */
import { parseLabelText } from '../../schemas/labels/index.js';
import type { CompiledMatcher } from '../logql/index.js';
import { mergePatterns, prunePatterns, type PatternResult } from '../engine/pattern-merge.js';
import type { QueryStats } from '../engine/query-backend.js';
import type { IngesterClient } from './ingester-client.js';
import { matchesAny, sharedEqualities } from './stream-source.js';

/** A tenant's patterns request. */
export interface TenantPatternsRequest {
  readonly tenant: string;
  readonly matchers: readonly CompiledMatcher[];
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly stepNs: bigint;
  readonly nowNs: bigint;
}

/** Reads patterns from the ingesters. */
export class PatternSource {
  constructor(
    private readonly ingesters: IngesterClient,
    /** `pattern_ingester.retain_for`, ms. */
    private readonly retainForMs: number,
  ) {}

  /** The tenant's merged, pruned pattern series in the range. */
  async patterns(r: TenantPatternsRequest, stats: QueryStats, signal: AbortSignal): Promise<PatternResult[]> {
    const oldestNs = r.nowNs - BigInt(this.retainForMs) * 1_000_000n;
    const startNs = r.startNs > oldestNs ? r.startNs : oldestNs;
    if (r.endNs <= startNs) return [];
    const groups = [r.matchers];
    const streams = await this.ingesters.patterns({ tenant: r.tenant, matchers: sharedEqualities(groups), startNs, endNs: r.endNs, shard: null }, r.stepNs, stats, signal);
    const kept = streams.filter((s) => matchesAny(parseLabelText(s.labels), groups));
    return prunePatterns(mergePatterns(kept.map((s) => s.series)));
  }
}
