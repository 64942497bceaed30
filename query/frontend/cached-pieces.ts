/**
 * Metric pieces served through the results cache: a cacheable piece (old enough, see isCacheable)
 * is read from the cache, or, when an identical piece of a concurrent query is being computed,
 * taken from that computation, or computed and stored. Loki's results cache middleware does the
 * first and the last; computing identical concurrent pieces once is Fjord's own.
 */
import { emptyStats } from '../engine/query-backend.js';
import type { MetricResult } from '../logql/index.js';
import type { PieceResult } from './piece.js';
import type { ResultsCache } from './results-cache.js';
import type { ScheduledResult } from './scheduler.js';

/** How a piece was answered: from the cache, from an identical piece computed at the same time, or computed. */
export type CacheOutcome = 'hit' | 'shared' | 'miss';

const fromCache = (result: MetricResult): ScheduledResult => ({
  result: { kind: 'metric', result, stats: emptyStats(), warnings: [], shard: null } satisfies PieceResult,
  queueMs: 0,
});

/** The results cache and the pieces being computed now, by cache key. */
export class CachedPieces {
  private readonly computing = new Map<string, Promise<MetricResult | null>>();

  constructor(private readonly cache: ResultsCache) {}

  /** The piece under `key`: cached, shared with an identical running piece, or from `compute` (then cached). */
  async run(key: string, compute: () => Promise<ScheduledResult>, onOutcome: (o: CacheOutcome) => void): Promise<ScheduledResult> {
    const hit = await this.cache.get(key);
    if (hit !== undefined) {
      onOutcome('hit');
      return fromCache(hit);
    }
    const shared = this.computing.get(key);
    if (shared !== undefined) {
      const result = await shared.catch(() => null);
      if (result !== null) {
        onOutcome('shared');
        return fromCache(result);
      }
    }
    onOutcome('miss');
    const run = compute();
    const settled = run.then((r) => (r.result.kind === 'metric' ? r.result.result : null));
    this.computing.set(key, settled);
    void settled.catch(() => null).finally(() => this.computing.delete(key));
    const r = await run;
    if (r.result.kind === 'metric') await this.cache.set(key, r.result.result);
    return r;
  }
}
