/**
 * A piece of work the frontend queues for queriers (one split of a query, or a whole metadata
 * query), its result, and how a querier runs it on a QueryBackend.
 */
import { assertNever } from '../../schemas/index.js';
import type { Labels, Shard } from '../../schemas/labels/index.js';
import type {
  IndexStats, LogQueryRequest, MetricQueryRequest, PatternsRequest, QueryBackend, QueryStats, ResultStream, SelectorRequest, StreamVolume,
} from '../engine/query-backend.js';
import type { MetricResult } from '../logql/index.js';
import type { PatternResult } from '../engine/pattern-merge.js';

/** A queued piece of a query. */
export type Piece =
  | { readonly kind: 'log'; readonly req: LogQueryRequest }
  | { readonly kind: 'metric'; readonly req: MetricQueryRequest }
  | { readonly kind: 'series'; readonly req: SelectorRequest }
  | { readonly kind: 'labelNames'; readonly req: SelectorRequest }
  | { readonly kind: 'labelValues'; readonly req: SelectorRequest & { readonly name: string } }
  | { readonly kind: 'indexStats'; readonly req: SelectorRequest }
  | { readonly kind: 'volume'; readonly req: SelectorRequest & { readonly stepNs: bigint } }
  | { readonly kind: 'patterns'; readonly req: PatternsRequest };

/** Per-bucket stream volumes, as QueryBackend.volume returns them. */
export type VolumeBuckets = Array<{ readonly tsNs: bigint; readonly streams: StreamVolume[] }>;

/**
 * The result of a piece, of the same kind. A metric result names the shard it covers, as the
 * querier that ran it understood the piece (null: every stream), so a querier that does not know
 * shards cannot pass a whole result off as one shard's.
 */
export type PieceResult =
  | { readonly kind: 'log'; readonly streams: ResultStream[]; readonly stats: QueryStats; readonly warnings: string[] }
  | { readonly kind: 'metric'; readonly result: MetricResult; readonly stats: QueryStats; readonly warnings: string[]; readonly shard: Shard | null }
  | { readonly kind: 'series'; readonly series: Labels[] }
  | { readonly kind: 'labelNames'; readonly values: string[] }
  | { readonly kind: 'labelValues'; readonly values: string[] }
  | { readonly kind: 'indexStats'; readonly stats: IndexStats }
  | { readonly kind: 'volume'; readonly buckets: VolumeBuckets }
  | { readonly kind: 'patterns'; readonly series: PatternResult[] };

/** The tenants of a piece, joined as Loki's org id (`a|b`): the queue it waits in. */
export function queueKeyOf(piece: Piece): string {
  return piece.req.tenants.join('|');
}

/** Run a piece on a backend. */
export async function executePiece(backend: QueryBackend, piece: Piece, signal: AbortSignal): Promise<PieceResult> {
  switch (piece.kind) {
    case 'log': {
      const r = await backend.logQuery(piece.req, signal);
      return { kind: 'log', streams: r.streams, stats: r.stats, warnings: r.warnings };
    }
    case 'metric': {
      const r = await backend.metricQuery(piece.req, signal);
      return { kind: 'metric', result: r.result, stats: r.stats, warnings: r.warnings, shard: piece.req.shard ?? null };
    }
    case 'series': return { kind: 'series', series: await backend.series(piece.req, signal) };
    case 'labelNames': return { kind: 'labelNames', values: await backend.labelNames(piece.req, signal) };
    case 'labelValues': return { kind: 'labelValues', values: await backend.labelValues(piece.req, signal) };
    case 'indexStats': return { kind: 'indexStats', stats: await backend.indexStats(piece.req, signal) };
    case 'volume': return { kind: 'volume', buckets: await backend.volume(piece.req, signal) };
    case 'patterns': return { kind: 'patterns', series: await backend.patterns(piece.req, signal) };
    default: return assertNever(piece);
  }
}
