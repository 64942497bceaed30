/**
 * Metric pieces served through the results cache: a cacheable piece (old enough, see isCacheable)
 * is read from the cache, or, when an identical piece of a concurrent query is being computed,
 * taken from that computation (warnings included), or computed and stored. A computed piece that
 * carries a warning is not stored (isStorable): the cache keeps results without their warnings, so
 * a partial answer would later be served as whole. Loki's results cache middleware does the first
 * and the last; computing identical concurrent pieces once is Fjord's own.
 */
import { emptyStats } from '../engine/query-backend.js';
import type { PieceResult } from './piece.js';
import type { ResultsCache } from './results-cache.js';
import type { ScheduledResult } from './scheduler.js';

/** How a piece was answered: from the cache, from an identical piece computed at the same time, or computed. */
export type CacheOutcome = 'hit' | 'shared' | 'miss';

type MetricPieceResult = Extract<PieceResult, { kind: 'metric' }>;

const answered = (result: MetricPieceResult): ScheduledResult => ({ result: { ...result, stats: emptyStats() }, queueMs: 0 });

/**
 * True when a computed piece may be kept in the results cache: a metric result with no warning (a
 * partial answer, or Logs Drilldown's first series only, is not the piece's whole answer).
 */
export function isStorable(r: PieceResult): r is MetricPieceResult {
  return r.kind === 'metric' && r.warnings.length === 0;
}

/** The results cache and the pieces being computed now, by cache key. */
export class CachedPieces {
  private readonly computing = new Map<string, Promise<MetricPieceResult | null>>();

  constructor(private readonly cache: ResultsCache) {}

  /** The piece under `key`: cached, shared with an identical running piece, or from `compute` (then cached unless it warns). */
  async run(key: string, compute: () => Promise<ScheduledResult>, onOutcome: (o: CacheOutcome) => void): Promise<ScheduledResult> {
    const hit = await this.cache.get(key);
    if (hit !== undefined) {
      onOutcome('hit');
      return answered({ kind: 'metric', result: hit, stats: emptyStats(), warnings: [], shard: null });
    }
    const shared = this.computing.get(key);
    if (shared !== undefined) {
      const result = await shared.catch(() => null);
      if (result !== null) {
        onOutcome('shared');
        return answered(result);
      }
    }
    onOutcome('miss');
    const run = compute();
    const settled = run.then((r) => (r.result.kind === 'metric' ? r.result : null));
    this.computing.set(key, settled);
    void settled.catch(() => null).finally(() => this.computing.delete(key));
    const r = await run;
    if (isStorable(r.result)) await this.cache.set(key, r.result.result);
    return r;
  }
}
